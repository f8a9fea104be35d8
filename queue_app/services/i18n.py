"""Picking the right language out of per-language data held in the database."""
FALLBACKS = ("en", "de")


def localized(values, lang):
    """The text for `lang`, else English, else German: a visitor who reads neither still
    gets the word most likely to be understood at the counter."""
    if not values:
        return ""
    for key in (lang, *FALLBACKS):
        if values.get(key):
            return values[key]
    return next(iter(values.values()))

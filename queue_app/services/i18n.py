"""Picking the right language out of per-language data held in the database."""
FALLBACKS = ("en", "de")


def localized(values, lang):
    """The text for `lang`, else English, else German: a visitor who reads neither still
    gets the word most likely to be understood at the counter."""
    return localized_with_lang(values, lang)[0]


def localized_with_lang(values, lang):
    """(text, the language it is in), so a page can mark a fallback with its own `lang`."""
    if not values:
        return "", lang
    for key in (lang, *FALLBACKS):
        if values.get(key):
            return values[key], key
    key = next(iter(values))
    return values[key], key

"""The demo centre: a one-stop centre modelled on a German city's Bürgerzentrum.

Names in German and English for every screen, and in Turkish, Arabic and Ukrainian for what
the kiosk shows. Passwords and device tokens here are for the demo only and are printed at
start-up; a real centre creates its users and devices with the CLI.
"""

CENTRE = {
    "name": "Bürgerzentrum Musterstadt",
    "address": "Marktplatz 1, 70173 Stuttgart",
    "state": "BW",
}

OFFICES = [
    {"code": "buergerbuero", "names": {
        "de": "Bürgerbüro", "en": "Residents' registration", "tr": "Nüfus müdürlüğü",
        "ar": "مكتب تسجيل السكان", "uk": "Реєстрація мешканців"}},
    {"code": "auslaenderbehoerde", "names": {
        "de": "Welcome Center – Ausländerbehörde", "en": "Welcome Office – immigration",
        "tr": "Yabancılar dairesi", "ar": "مكتب الترحيب – شؤون الأجانب",
        "uk": "Відомство у справах іноземців"}},
    {"code": "kfz", "names": {
        "de": "Kfz-Zulassungsstelle", "en": "Vehicle registration",
        "tr": "Araç tescil dairesi", "ar": "تسجيل المركبات", "uk": "Реєстрація транспорту"}},
    {"code": "integration", "names": {
        "de": "Willkommens- und Integrationsberatung", "en": "Welcome and integration advice",
        "tr": "Hoş geldiniz ve uyum danışmanlığı", "ar": "استشارات الترحيب والاندماج",
        "uk": "Консультації з інтеграції"}},
]

_ID = {"de": "Personalausweis oder Reisepass", "en": "ID card or passport",
       "tr": "Kimlik kartı veya pasaport", "ar": "بطاقة الهوية أو جواز السفر",
       "uk": "Посвідчення особи або паспорт"}
_PHOTO = {"de": "Ein aktuelles biometrisches Passfoto", "en": "A recent biometric photo",
          "tr": "Güncel biyometrik fotoğraf", "ar": "صورة بيومترية حديثة",
          "uk": "Актуальне біометричне фото"}


def _docs(*items):
    return {lang: [item[lang] for item in items] for lang in ("de", "en", "tr", "ar", "uk")}


SERVICES = [
    {"code": "anmeldung", "office": "buergerbuero", "prefix": "A", "duration": 15,
     "walk_in": True, "bookable": True, "target_wait": 30,
     "names": {"de": "Wohnsitz anmelden", "en": "Register your address",
               "tr": "İkamet kaydı", "ar": "تسجيل عنوان السكن",
               "uk": "Реєстрація місця проживання"},
     "documents": _docs(_ID, {"de": "Wohnungsgeberbestätigung",
                              "en": "Landlord's confirmation (Wohnungsgeberbestätigung)",
                              "tr": "Ev sahibi onayı (Wohnungsgeberbestätigung)",
                              "ar": "تأكيد المؤجر (Wohnungsgeberbestätigung)",
                              "uk": "Підтвердження орендодавця (Wohnungsgeberbestätigung)"})},
    {"code": "personalausweis", "office": "buergerbuero", "prefix": "P", "duration": 15,
     "walk_in": True, "bookable": True, "target_wait": 30,
     "names": {"de": "Personalausweis beantragen", "en": "Apply for an ID card",
               "tr": "Kimlik kartı başvurusu", "ar": "طلب بطاقة هوية",
               "uk": "Заява на посвідчення особи"},
     "documents": _docs(_ID, _PHOTO)},
    {"code": "reisepass", "office": "buergerbuero", "prefix": "R", "duration": 15,
     "walk_in": True, "bookable": True, "target_wait": 30,
     "names": {"de": "Reisepass beantragen", "en": "Apply for a passport",
               "tr": "Pasaport başvurusu", "ar": "طلب جواز سفر", "uk": "Заява на паспорт"},
     "documents": _docs(_ID, _PHOTO, {"de": "Bei Kindern: Zustimmung beider Eltern",
                                      "en": "For children: consent of both parents",
                                      "tr": "Çocuklar için: her iki ebeveynin onayı",
                                      "ar": "للأطفال: موافقة الوالدين كليهما",
                                      "uk": "Для дітей: згода обох батьків"})},
    {"code": "meldebescheinigung", "office": "buergerbuero", "prefix": "M", "duration": 5,
     "walk_in": True, "bookable": False, "target_wait": 20,
     "names": {"de": "Meldebescheinigung", "en": "Certificate of residence",
               "tr": "İkamet belgesi", "ar": "شهادة السكن", "uk": "Довідка про реєстрацію"},
     "documents": _docs(_ID)},
    {"code": "aufenthalt-verlaengern", "office": "auslaenderbehoerde", "prefix": "V",
     "duration": 30, "walk_in": False, "bookable": True, "target_wait": 20,
     "names": {"de": "Aufenthaltstitel verlängern", "en": "Extend a residence permit",
               "tr": "Oturma izni uzatma", "ar": "تمديد تصريح الإقامة",
               "uk": "Продовження посвідки на проживання"},
     "documents": _docs(
         {"de": "Reisepass und aktueller Aufenthaltstitel",
          "en": "Passport and current residence permit",
          "tr": "Pasaport ve geçerli oturma izni",
          "ar": "جواز السفر وتصريح الإقامة الحالي",
          "uk": "Паспорт і чинний дозвіл на проживання"}, _PHOTO,
         {"de": "Nachweise über Einkommen und Krankenversicherung",
          "en": "Proof of income and health insurance",
          "tr": "Gelir ve sağlık sigortası belgeleri",
          "ar": "إثبات الدخل والتأمين الصحي",
          "uk": "Підтвердження доходу та медичного страхування"})},
    {"code": "eat-abholung", "office": "auslaenderbehoerde", "prefix": "E", "duration": 10,
     "walk_in": True, "bookable": False, "target_wait": 20,
     "names": {"de": "Aufenthaltskarte abholen", "en": "Pick up residence permit card",
               "tr": "Oturma kartını teslim alma", "ar": "استلام بطاقة الإقامة",
               "uk": "Отримання картки посвідки"},
     "documents": _docs({"de": "Reisepass und Abholschreiben",
                         "en": "Passport and the pick-up letter",
                         "tr": "Pasaport ve teslim alma mektubu",
                         "ar": "جواز السفر ورسالة الاستلام",
                         "uk": "Паспорт і лист про отримання"})},
    {"code": "verpflichtungserklaerung", "office": "auslaenderbehoerde", "prefix": "D",
     "duration": 20, "walk_in": True, "bookable": True, "target_wait": 30,
     "names": {"de": "Verpflichtungserklärung", "en": "Declaration of commitment",
               "tr": "Taahhütname", "ar": "إقرار الالتزام (الكفالة)",
               "uk": "Зобов'язання про утримання"},
     "documents": _docs(_ID, {"de": "Einkommensnachweise der letzten 3 Monate",
                              "en": "Proof of income for the last 3 months",
                              "tr": "Son 3 ayın gelir belgeleri",
                              "ar": "إثبات الدخل لآخر 3 أشهر",
                              "uk": "Підтвердження доходу за останні 3 місяці"},
                        {"de": "Passdaten der eingeladenen Person",
                         "en": "Passport details of the invited person",
                         "tr": "Davet edilen kişinin pasaport bilgileri",
                         "ar": "بيانات جواز سفر الشخص المدعو",
                         "uk": "Паспортні дані запрошеної особи"})},
    {"code": "niederlassung-beratung", "office": "auslaenderbehoerde", "prefix": "N",
     "duration": 20, "walk_in": True, "bookable": True, "target_wait": 30,
     "names": {"de": "Beratung Niederlassungserlaubnis", "en": "Settlement permit advice",
               "tr": "Süresiz oturum danışmanlığı", "ar": "استشارة الإقامة الدائمة",
               "uk": "Консультація щодо посвідки на постійне проживання"},
     "documents": _docs({"de": "Reisepass und Aufenthaltstitel",
                         "en": "Passport and residence permit",
                         "tr": "Pasaport ve oturma izni",
                         "ar": "جواز السفر وتصريح الإقامة",
                         "uk": "Паспорт і дозвіл на проживання"})},
    {"code": "kfz-zulassung", "office": "kfz", "prefix": "K", "duration": 20,
     "walk_in": True, "bookable": True, "target_wait": 40,
     "names": {"de": "Fahrzeug zulassen", "en": "Register a vehicle",
               "tr": "Araç tescili", "ar": "تسجيل مركبة", "uk": "Реєстрація транспортного засобу"},
     "documents": _docs(_ID, {"de": "Zulassungsbescheinigung Teil I und II",
                              "en": "Registration certificate parts I and II",
                              "tr": "Tescil belgesi I. ve II. kısım",
                              "ar": "شهادة التسجيل الجزء الأول والثاني",
                              "uk": "Свідоцтво про реєстрацію, частини I і II"},
                        {"de": "eVB-Nummer der Versicherung",
                         "en": "Insurance confirmation number (eVB)",
                         "tr": "Sigorta onay numarası (eVB)",
                         "ar": "رقم تأكيد التأمين (eVB)",
                         "uk": "Номер підтвердження страхування (eVB)"},
                        {"de": "SEPA-Mandat für die Kfz-Steuer",
                         "en": "SEPA mandate for vehicle tax",
                         "tr": "Araç vergisi için SEPA talimatı",
                         "ar": "تفويض SEPA لضريبة المركبة",
                         "uk": "SEPA-доручення для податку на транспорт"})},
    {"code": "kfz-abmeldung", "office": "kfz", "prefix": "L", "duration": 10,
     "walk_in": True, "bookable": False, "target_wait": 30,
     "names": {"de": "Fahrzeug abmelden", "en": "Deregister a vehicle",
               "tr": "Araç kaydını silme", "ar": "إلغاء تسجيل مركبة", "uk": "Зняття з обліку"},
     "documents": _docs({"de": "Zulassungsbescheinigung Teil I und Kennzeichen",
                         "en": "Registration certificate part I and number plates",
                         "tr": "Tescil belgesi I. kısım ve plakalar",
                         "ar": "شهادة التسجيل الجزء الأول ولوحات الأرقام",
                         "uk": "Свідоцтво про реєстрацію, частина I, і номерні знаки"})},
    {"code": "halterwechsel", "office": "kfz", "prefix": "H", "duration": 20,
     "walk_in": True, "bookable": True, "target_wait": 40,
     "names": {"de": "Halterwechsel", "en": "Change of vehicle owner",
               "tr": "Araç sahibi değişikliği", "ar": "تغيير مالك المركبة",
               "uk": "Зміна власника транспорту"},
     "documents": _docs(_ID, {"de": "Zulassungsbescheinigung Teil I und II",
                              "en": "Registration certificate parts I and II",
                              "tr": "Tescil belgesi I. ve II. kısım",
                              "ar": "شهادة التسجيل الجزء الأول والثاني",
                              "uk": "Свідоцтво про реєстрацію, частини I і II"},
                        {"de": "eVB-Nummer der Versicherung",
                         "en": "Insurance confirmation number (eVB)",
                         "tr": "Sigorta onay numarası (eVB)",
                         "ar": "رقم تأكيد التأمين (eVB)",
                         "uk": "Номер підтвердження страхування (eVB)"})},
    {"code": "integrationskurs", "office": "integration", "prefix": "I", "duration": 30,
     "walk_in": True, "bookable": True, "target_wait": 45,
     "names": {"de": "Beratung Integrationskurs", "en": "Integration course advice",
               "tr": "Uyum kursu danışmanlığı", "ar": "استشارة دورة الاندماج",
               "uk": "Консультація щодо інтеграційного курсу"},
     "documents": _docs({"de": "Aufenthaltstitel, falls vorhanden",
                         "en": "Residence permit, if you have one",
                         "tr": "Varsa oturma izni",
                         "ar": "تصريح الإقامة إن وجد",
                         "uk": "Дозвіл на проживання, якщо є"})},
    {"code": "willkommensberatung", "office": "integration", "prefix": "W", "duration": 30,
     "walk_in": True, "bookable": True, "target_wait": 45,
     "names": {"de": "Willkommensberatung", "en": "Welcome counselling",
               "tr": "Hoş geldiniz danışmanlığı", "ar": "استشارة الترحيب",
               "uk": "Консультація для новоприбулих"},
     "documents": _docs({"de": "Nichts Besonderes – kommen Sie einfach",
                         "en": "Nothing special – just come",
                         "tr": "Özel bir şey gerekmez – sadece gelin",
                         "ar": "لا شيء خاص – تفضل بالحضور فقط",
                         "uk": "Нічого особливого – просто приходьте"})},
]

ZONES = [
    {"code": "eg", "names": {"de": "Erdgeschoss", "en": "Ground floor", "tr": "Zemin kat",
                             "ar": "الطابق الأرضي", "uk": "Перший поверх"}},
    {"code": "og1", "names": {"de": "1. Obergeschoss", "en": "First floor", "tr": "1. kat",
                              "ar": "الطابق الأول", "uk": "Другий поверх"}},
]

# Platz 1–8 on the ground floor (registration, vehicles), 9–14 upstairs (welcome office).
DESKS = [{"code": f"platz-{n}", "name": f"Platz {n}", "zone": "eg" if n <= 8 else "og1"}
         for n in range(1, 15)]

_REGISTRATION = ["anmeldung", "personalausweis", "reisepass", "meldebescheinigung"]
_IMMIGRATION = ["aufenthalt-verlaengern", "eat-abholung", "verpflichtungserklaerung",
                "niederlassung-beratung"]
_VEHICLES = ["kfz-zulassung", "kfz-abmeldung", "halterwechsel"]
_INTEGRATION = ["integrationskurs", "willkommensberatung"]

DEMO_PASSWORD = "demo-passwort"

STAFF = [
    {"username": "admin", "role": "admin", "name": "Administration", "services": []},
    {"username": "leitung", "role": "supervisor", "name": "Sabine Leitner",
     "services": _REGISTRATION + _IMMIGRATION + _VEHICLES + _INTEGRATION},
    {"username": "mueller", "role": "clerk", "name": "Jonas Müller", "services": _REGISTRATION},
    {"username": "yilmaz", "role": "clerk", "name": "Ayşe Yılmaz",
     "services": _REGISTRATION + _VEHICLES},
    {"username": "schmidt", "role": "clerk", "name": "Petra Schmidt", "services": _VEHICLES},
    {"username": "nowak", "role": "clerk", "name": "Tomasz Nowak", "services": _IMMIGRATION},
    {"username": "haddad", "role": "clerk", "name": "Lina Haddad",
     "services": _IMMIGRATION + _INTEGRATION},
    {"username": "kovalenko", "role": "clerk", "name": "Olena Kovalenko",
     "services": _INTEGRATION},
]

DEVICES = [
    {"name": "kiosk-eingang", "kind": "kiosk", "zone": "eg", "token": "demo-kiosk-token"},
    {"name": "board-eg", "kind": "display", "zone": "eg", "token": "demo-board-eg-token"},
    {"name": "board-og1", "kind": "display", "zone": "og1", "token": "demo-board-og1-token"},
]

# Appointment opening hours per office; the booking feature reads these.
OPENING_RULES = [
    {"office": office, "weekdays": [0, 1, 2, 4], "start": "08:00", "end": "12:00",
     "parallel_desks": desks, "slot_minutes": 10}
    for office, desks in (("buergerbuero", 3), ("auslaenderbehoerde", 2), ("kfz", 2),
                          ("integration", 1))
] + [
    {"office": office, "weekdays": [3], "start": "13:00", "end": "18:00",
     "parallel_desks": 2, "slot_minutes": 10}
    for office in ("buergerbuero", "auslaenderbehoerde", "kfz")
]

"""Serbian texts of the demo programme (sample data, written in Latin script and shown
in Cyrillic when the interface is Cyrillic). Keyed by the English text, so
``load_demo`` fills the Serbian column of whatever it creates."""

SERBIAN = {
    # Programme
    "Joint Programme in the area of Anti-Human Trafficking in Serbia": (
        "Zajednički program u oblasti borbe protiv trgovine ljudima u Srbiji"
    ),
    "Developed by UNODC, UNHCR and IOM under the UN Global Initiative to Fight "
    "Human Trafficking (UN.GIFT), in line with the international legal instruments "
    "signed and ratified by the Government of Serbia, particularly the UN Protocol "
    "to Prevent, Suppress and Punish Trafficking in Persons, especially Women and "
    "Children. It aims at operationalising the newly drafted national action plan, "
    "and is the first integrated and comprehensive framework in the area of "
    "anti-human trafficking in Serbia, following the structure of the 3 P's "
    "(prevention, prosecution and protection), with the three agencies working "
    "together according to their own respective mandates. Presented to national "
    "counterparts on 23 March 2009 and to donors on 25 March 2009 in Belgrade; the "
    "three agencies continue to fundraise jointly to start implementation.": (
        "Izradili su ga UNODC, UNHCR i IOM u okviru Globalne inicijative UN za borbu "
        "protiv trgovine ljudima (UN.GIFT), u skladu sa međunarodnim pravnim "
        "instrumentima koje je Vlada Srbije potpisala i ratifikovala, posebno sa "
        "Protokolom UN o sprečavanju, suzbijanju i kažnjavanju trgovine ljudima, naročito "
        "ženama i decom. Cilj programa je operacionalizacija novog nacrta nacionalnog "
        "akcionog plana; to je prvi celovit i sveobuhvatan okvir u oblasti borbe protiv "
        "trgovine ljudima u Srbiji, zasnovan na strukturi „tri P“ (prevencija, krivično "
        "gonjenje i zaštita), u kojem tri agencije sarađuju u skladu sa svojim mandatima. "
        "Predstavljen je nacionalnim partnerima 23. marta 2009. i donatorima 25. marta "
        "2009. u Beogradu; tri agencije nastavljaju da zajednički prikupljaju sredstva "
        "kako bi započele sprovođenje."
    ),
    "Serbia anti-trafficking JP": "ZP Srbija – borba protiv trgovine ljudima",
    "Serbia": "Srbija",
    # Pillars
    "Prevention": "Prevencija",
    "Prosecution": "Krivično gonjenje",
    "Protection": "Zaštita",
    "Preventing trafficking in human beings.": "Sprečavanje trgovine ljudima.",
    "Prosecuting traffickers.": "Krivično gonjenje trgovaca ljudima.",
    "Protecting and assisting victims of trafficking.": (
        "Zaštita i pomoć žrtvama trgovine ljudima."
    ),
    # Outcomes
    "Public awareness of trafficking risks raised among groups at risk": (
        "Podignuta svest o rizicima trgovine ljudima među rizičnim grupama"
    ),
    "Schools and social services prevent trafficking of children": (
        "Škole i službe socijalne zaštite sprečavaju trgovinu decom"
    ),
    "Police and prosecutors identify and prosecute trafficking cases effectively": (
        "Policija i tužilaštvo delotvorno otkrivaju i krivično gone slučajeve trgovine ljudima"
    ),
    "Judges apply the anti-trafficking law consistently": (
        "Sudije dosledno primenjuju propise o suzbijanju trgovine ljudima"
    ),
    "Victims, including refugees, asylum seekers and internally displaced persons, "
    "are identified and referred": (
        "Žrtve, uključujući izbeglice, tražioce azila i interno raseljena lica, "
        "identifikovane su i upućene na podršku"
    ),
    "Survivors receive assistance and reintegration support": (
        "Žrtve dobijaju pomoć i podršku u reintegraciji"
    ),
    "Illustrative outcome: the article lists none.": (
        "Ilustrativni ishod: članak ne navodi ishode."
    ),
    # Outputs
    "Awareness campaigns reach young people and communities at risk": (
        "Kampanje podizanja svesti dopiru do mladih i rizičnih zajednica"
    ),
    "Refugees, returnees and IDPs informed about trafficking and safe migration": (
        "Izbeglice, povratnici i interno raseljena lica informisani o trgovini ljudima "
        "i bezbednoj migraciji"
    ),
    "Teachers and social workers trained to recognise children at risk": (
        "Nastavnici i socijalni radnici obučeni da prepoznaju decu u riziku"
    ),
    "Police officers and prosecutors trained to investigate trafficking": (
        "Policijski službenici i tužioci obučeni za istrage trgovine ljudima"
    ),
    "Standard operating procedures for proactive investigations adopted": (
        "Usvojene standardne operativne procedure za proaktivne istrage"
    ),
    "Judges trained on the anti-trafficking provisions of the Criminal Code": (
        "Sudije obučene o odredbama Krivičnog zakonika o trgovini ljudima"
    ),
    "The referral mechanism covers refugees, asylum seekers and displaced persons": (
        "Mehanizam upućivanja obuhvata izbeglice, tražioce azila i raseljena lica"
    ),
    "Frontline staff trained to identify victims": (
        "Zaposleni koji prvi dolaze u kontakt sa žrtvama obučeni za njihovu identifikaciju"
    ),
    "Shelters and case management provide assistance to survivors": (
        "Sigurne kuće i vođenje slučaja obezbeđuju pomoć žrtvama"
    ),
    "Survivors receive vocational training and reintegration grants": (
        "Žrtve dobijaju stručnu obuku i grantove za reintegraciju"
    ),
    # Indicators
    "People reached by awareness-raising activities": (
        "Broj osoba obuhvaćenih aktivnostima podizanja svesti"
    ),
    "Young people in surveyed communities who can name a trafficking risk": (
        "Mladi u anketiranim zajednicama koji umeju da navedu rizik od trgovine ljudima"
    ),
    "Teachers and social workers trained": "Obučeni nastavnici i socijalni radnici",
    "Schools with a child-trafficking prevention plan": (
        "Škole sa planom za sprečavanje trgovine decom"
    ),
    "Police officers and prosecutors trained": "Obučeni policijski službenici i tužioci",
    "Trafficking cases brought to prosecution per year": (
        "Slučajevi trgovine ljudima u kojima je pokrenuto krivično gonjenje, godišnje"
    ),
    "Judges trained": "Obučene sudije",
    "Trafficking judgments reviewed that apply the law consistently": (
        "Pregledane presude za trgovinu ljudima u kojima je zakon dosledno primenjen"
    ),
    "Victims of trafficking identified": "Identifikovane žrtve trgovine ljudima",
    "Victims identified among refugees, asylum seekers and displaced persons": (
        "Žrtve identifikovane među izbeglicama, tražiocima azila i raseljenim licima"
    ),
    "Frontline staff trained in identification": (
        "Zaposleni na prvoj liniji obučeni za identifikaciju"
    ),
    "Survivors receiving assistance": "Žrtve koje primaju pomoć",
    "Survivors who complete a reintegration plan": "Žrtve koje završe plan reintegracije",
    # National Action Plan and its objectives
    "National Action Plan for Combating Trafficking in Human Beings": (
        "Nacionalni akcioni plan za borbu protiv trgovine ljudima"
    ),
    "Prevention of trafficking in human beings": "Prevencija trgovine ljudima",
    "Raise public awareness of trafficking, especially among groups at risk": (
        "Podizanje svesti javnosti o trgovini ljudima, posebno među rizičnim grupama"
    ),
    "Prevent trafficking of children through the education and social welfare systems": (
        "Sprečavanje trgovine decom kroz sistem obrazovanja i socijalne zaštite"
    ),
    "Effective prosecution of traffickers": "Delotvorno krivično gonjenje trgovaca ljudima",
    "Strengthen the capacity of police and prosecutors to investigate trafficking": (
        "Jačanje kapaciteta policije i tužilaštva za istrage trgovine ljudima"
    ),
    "Ensure the courts apply the anti-trafficking legislation consistently": (
        "Obezbediti da sudovi dosledno primenjuju zakonodavstvo o suzbijanju trgovine ljudima"
    ),
    "Compensation for victims and seizure of traffickers' assets": (
        "Naknada štete žrtvama i oduzimanje imovine trgovaca ljudima"
    ),
    "Protection and assistance of victims": "Zaštita i pomoć žrtvama",
    "Identify and refer all victims, including refugees, asylum seekers and internally "
    "displaced persons": (
        "Identifikacija i upućivanje svih žrtava, uključujući izbeglice, tražioce azila "
        "i interno raseljena lica"
    ),
    "Provide assistance and sustainable reintegration to victims": (
        "Pružanje pomoći žrtvama i njihova održiva reintegracija"
    ),
    "Illustrative objective: the article does not quote the plan's text.": (
        "Ilustrativni cilj: članak ne navodi tekst plana."
    ),
}

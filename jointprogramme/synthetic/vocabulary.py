"""Words the synthetic programmes are made of: countries, agencies, titles, names."""

from stakeholders.models import Organisation

COUNTRIES = [
    ("Serbia", "Belgrade"),
    ("Albania", "Tirana"),
    ("Bosnia and Herzegovina", "Sarajevo"),
    ("Montenegro", "Podgorica"),
    ("North Macedonia", "Skopje"),
    ("Moldova", "Chișinău"),
    ("Ukraine", "Kyiv"),
    ("Georgia", "Tbilisi"),
    ("Armenia", "Yerevan"),
    ("Kyrgyzstan", "Bishkek"),
    ("Tajikistan", "Dushanbe"),
    ("Uzbekistan", "Tashkent"),
    ("Egypt", "Cairo"),
    ("Morocco", "Rabat"),
    ("Jordan", "Amman"),
    ("Nigeria", "Abuja"),
    ("Ghana", "Accra"),
    ("Thailand", "Bangkok"),
    ("Cambodia", "Phnom Penh"),
    ("Nepal", "Kathmandu"),
    ("Bangladesh", "Dhaka"),
    ("Viet Nam", "Hanoi"),
    ("Lao PDR", "Vientiane"),
    ("Ecuador", "Quito"),
]
AGENCIES = [
    ("United Nations Office on Drugs and Crime", "UNODC"),
    ("United Nations High Commissioner for Refugees", "UNHCR"),
    ("International Organization for Migration", "IOM"),
    ("United Nations Children's Fund", "UNICEF"),
    ("United Nations Development Programme", "UNDP"),
    ("UN Women", "UNWOMEN"),
    ("International Labour Organization", "ILO"),
    ("United Nations Population Fund", "UNFPA"),
]
PILLARS = [
    ("prevention", "Prevention"),
    ("prosecution", "Prosecution"),
    ("protection", "Protection"),
    ("partnership", "Partnership"),
]
# Which of the three core agencies usually leads each pillar.
PILLAR_LEAD = {"prevention": "IOM", "prosecution": "UNODC", "protection": "UNHCR"}
DONOR_COUNTRIES = [
    "Norway", "Sweden", "Switzerland", "the Netherlands", "the United Kingdom",
    "the United States", "Germany", "Austria", "Japan", "Canada", "Denmark", "Finland", "Italy",
    "Spain", "Ireland",
]  # fmt: skip
MINISTRIES = [
    "Interior", "Justice", "Labour, Employment and Social Policy", "Health", "Education",
    "Foreign Affairs", "Finance", "Youth and Sport", "Human and Minority Rights", "Family Care",
]  # fmt: skip
OFFICES = [
    "Office of the National Coordinator for Combating Trafficking", "Office for Human Rights",
    "Gender Equality Directorate", "Police Directorate", "Public Prosecutor's Office",
    "Centre for the Protection of Victims of Trafficking", "Statistical Office",
    "Border Police Administration",
]  # fmt: skip
DEVELOPMENT_AGENCIES = [
    "Development Cooperation Agency", "Agency for International Development",
    "International Cooperation Office",
]  # fmt: skip
FUNDS = [
    "UN Trust Fund for Victims of Trafficking", "Human Security Trust Fund",
    "Global Fund to End Modern Slavery", "Joint SDG Fund", "Peacebuilding Fund",
]  # fmt: skip
CSO_KINDS = [
    "Association", "Centre", "Network", "Initiative", "Foundation", "Shelter",
]  # fmt: skip
CSO_CAUSES = [
    "Victims' Rights", "Women's Rights", "Migrants' Support", "Child Protection", "Legal Aid",
    "Youth Empowerment", "Roma Inclusion", "Safe Migration", "Labour Rights", "Reintegration",
]  # fmt: skip
INTERNATIONALS = [
    "OSCE Mission", "Council of Europe Office", "Delegation of the European Union",
    "ICMPD Office", "International Committee of the Red Cross Delegation",
]  # fmt: skip
KIND_WEIGHTS = [
    (Organisation.Kind.MINISTRY, 18),
    (Organisation.Kind.GOVERNMENT_OFFICE, 10),
    (Organisation.Kind.EMBASSY, 12),
    (Organisation.Kind.DEVELOPMENT_AGENCY, 5),
    (Organisation.Kind.FUND, 4),
    (Organisation.Kind.CIVIL_SOCIETY, 43),
    (Organisation.Kind.INTERNATIONAL, 8),
]
DONOR_KINDS = {
    Organisation.Kind.EMBASSY,
    Organisation.Kind.DEVELOPMENT_AGENCY,
    Organisation.Kind.FUND,
}
FIRST_NAMES = [
    "Ana", "Marko", "Jelena", "Nikola", "Milica", "Stefan", "Ivana", "Luka", "Maja", "Petar",
    "Sara", "Aleksandar", "Tijana", "Dusan", "Katarina", "Ahmed", "Amina", "John", "Maria",
    "Olga", "Sven", "Ingrid", "Kenji", "Aiko", "Pierre", "Claire", "Giulia", "Tomas", "Elena",
    "Omar", "Fatima", "David", "Lena", "Arben", "Besa",
]  # fmt: skip
LAST_NAMES = [
    "Petrovic", "Jovanovic", "Nikolic", "Markovic", "Djordjevic", "Stojanovic", "Ilic", "Hoxha",
    "Berisha", "Hansen", "Larsen", "Andersson", "Tanaka", "Suzuki", "Martin", "Rossi", "Novak",
    "Horvat", "Kovacs", "Popescu", "Smith", "Brown", "Müller", "Schmidt", "Garcia", "Haddad",
    "Mensah", "Nguyen", "Sok", "Rahman",
]  # fmt: skip
POSITIONS = [
    "Head of Office", "Programme Officer", "Project Coordinator", "Senior Adviser",
    "Legal Officer", "Protection Officer", "Communications Officer",
    "Monitoring and Evaluation Officer", "Deputy Head", "Focal Point for Trafficking",
    "Finance Officer", "Field Coordinator",
]  # fmt: skip
OUTCOME_TITLES = {
    "prevention": [
        "Awareness of trafficking risks raised among {group}",
        "Vulnerability of {group} to trafficking reduced",
        "Safe migration information reaches {group}",
    ],
    "prosecution": [
        "Capacity to investigate and prosecute trafficking strengthened in {place}",
        "Legislation on trafficking aligned with international standards",
        "Cross-border cooperation against trafficking networks improved in {place}",
    ],
    "protection": [
        "Identified victims receive assistance and protection in {place}",
        "Referral of victims among {group} made systematic",
        "Reintegration services for survivors expanded in {place}",
    ],
    "partnership": [
        "National coordination of anti-trafficking action strengthened",
        "Civil society takes part in planning and monitoring",
    ],
}
GROUPS = [
    "young people", "Roma communities", "internally displaced persons",
    "refugees and asylum seekers", "labour migrants", "children in institutions",
    "women in rural areas", "returnees",
]  # fmt: skip
PLACES = [
    "the capital", "border regions", "the north", "the south", "municipalities",
]  # fmt: skip
OUTPUT_TITLES = [
    "Training delivered to {who}", "Guidelines and standard operating procedures adopted",
    "Information campaign carried out", "Database and case management system in use",
    "Shelters equipped and staffed", "Hotline operating",
]  # fmt: skip
WHO = [
    "police officers", "prosecutors and judges", "social workers", "labour inspectors",
]  # fmt: skip
INDICATORS = [
    ("Number of {who} trained", "people", False),
    ("Number of victims identified", "victims identified", True),
    ("Number of survivors assisted", "survivors assisted", True),
    ("Share of cases referred within 48 hours", "%", False),
    ("Number of investigations opened", "investigations", False),
    ("Number of convictions", "convictions", False),
    ("Number of people reached by campaigns", "people reached", False),
    ("Municipalities with a referral mechanism", "municipalities", False),
    ("Share of shelters meeting minimum standards", "%", False),
]
MEETING_TOPICS = [
    "the draft programme document", "the results framework",
    "alignment with the National Action Plan", "funding and donor coordination",
    "victim identification and referral", "the annual work plan", "monitoring and reporting",
]  # fmt: skip
VENUES = [
    "UN House", "Ministry of Interior", "Palace of Federation", "Hotel Metropol", "online",
]  # fmt: skip
FEEDBACK = [
    "The programme should reach more municipalities.",
    "Indicators on convictions should be broken down by sex and age.",
    "Civil society should sit on the steering committee.",
    "Budget for shelters looks too low against the needs.",
    "Link training to the new criminal procedure code.",
]  # fmt: skip
ACTIONS = [
    "Send the revised programme document to the ministries.",
    "Circulate the draft results framework for comments.",
    "Schedule a bilateral meeting with the donor.",
    "Collect baseline data from the police directorate.",
]  # fmt: skip
# Disaggregation of results that count people: (dimension, its categories).
DIMENSIONS = [
    ("Sex", ["Female", "Male", "Not recorded"]),
    ("Age group", ["Under 18", "18 and over", "Not recorded"]),
]

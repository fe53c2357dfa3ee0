"""Prose bank for the held-out layout set: administrative and news-report sentences in
German, French and English, with slots filled at random (committees, officials, numbers,
dates). A document spec is a list of blocks; the renderers in make_set.py lay it out."""

from __future__ import annotations

import re

NBSP = "\u00a0"

# ---------------------------------------------------------------- slot pools
DE = {
    "org": ["Ausschuss für Umwelt, Klima und Verkehr", "Haupt- und Finanzausschuss", "Bauausschuss", "Schulausschuss",
            "Ausschuss für Soziales und Gesundheit", "Rechnungsprüfungsausschuss", "Beirat für Digitalisierung",
            "Jugendhilfeausschuss", "Ältestenrat", "Werksausschuss der Stadtwerke", "Kulturausschuss"],
    "off": ["Bürgermeisterin Dr. Susanne Albrecht", "Landrat Michael Berger", "Staatssekretärin Prof. Dr. Ingrid Vogt",
            "Kämmerer Jens Hoffmann", "Stadtbaurat Dipl.-Ing. Peter Lindner", "Amtsleiterin Katrin Schäfer",
            "Ministerialdirigent Dr. Klaus Weber", "die Ausschussvorsitzende Sabine Krüger", "Beigeordneter Dr. Frank Neumann",
            "Regierungspräsidentin Monika Wolf", "Oberbürgermeister Stefan Hartmann", "Sozialdezernentin Anja Lorenz"],
    "place": ["Neustadt an der Weinstraße", "Bad Kreuznach", "Frankfurt (Oder)", "Freiburg im Breisgau", "Görlitz",
              "Lüneburg", "Kirchheim unter Teck", "Bad Homburg v. d. Höhe", "Landau in der Pfalz", "Weiden i. d. OPf."],
    "months": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
               "November", "Dezember"],
}
FR = {
    "org": ["commission des finances", "commission de l'urbanisme et des travaux", "commission permanente",
            "commission de l'éducation et de la jeunesse", "commission des affaires sociales", "chambre régionale des comptes",
            "commission d'appel d'offres", "commission consultative des services publics locaux", "commission de la culture"],
    "off": ["le maire, M. Jean-Pierre Laurent", "la première adjointe, Mme Claire Dubois",
            "le président du conseil départemental, M. Philippe Moreau", "la directrice générale des services, Mme Nathalie Girard",
            "le préfet, M. Alain Fournier", "la vice-présidente chargée des finances, Mme Sophie Lambert",
            "le rapporteur, M. Éric Chevalier", "la sous-préfète, Mme Isabelle Roux", "l'adjoint aux travaux, M. Karim Benali",
            "la conseillère déléguée, Mme Hélène Marchand"],
    "place": ["Besançon", "Saint-Étienne", "Aix-en-Provence", "Villeneuve-d'Ascq", "Chalon-sur-Saône", "Lons-le-Saunier",
              "Bourg-en-Bresse", "Charleville-Mézières", "Montbéliard", "Saint-Dié-des-Vosges"],
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
               "décembre"],
}
EN = {
    "org": ["Finance and Resources Committee", "Planning Committee", "Audit and Governance Committee",
            "Transport and Environment Committee", "Education, Children and Families Committee", "Health and Social Care Board"],
    "off": ["Councillor Dr. Sarah Mitchell", "the Chief Executive, Mr. David Okafor", "the Director of Finance, Ms. Laura Bennett",
            "Councillor James Whitfield", "the Head of Planning, Dr. Priya Raman", "the Deputy Leader, Ms. Helen Carter"],
    "place": ["Northampton", "Stockport", "Newcastle upon Tyne", "St Albans", "Kingston upon Hull", "Milton Keynes"],
    "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"],
}
POOLS = {"de": DE, "fr": FR, "en": EN}

# ---------------------------------------------------------------- sentences by theme
SENT = {"de": {}, "fr": {}, "en": {}}
SENT["de"]["haushalt"] = [
    "Der {org} hat den Entwurf des Haushaltsplans für das Jahr {year} in seiner Sitzung am {date} beraten.",
    "Nach Angaben von {off} steigen die ordentlichen Aufwendungen gegenüber dem Vorjahr um {pct}.",
    "Die Personalkosten belaufen sich auf rund {amt} und bilden damit weiterhin den größten Einzelposten.",
    "Für Investitionen sind insgesamt {amt} vorgesehen, u. a. für die Sanierung von Schulgebäuden und Brücken.",
    "Die Kreisumlage soll nach dem Vorschlag der Verwaltung um 0,7 Prozentpunkte angehoben werden.",
    "Der Fehlbetrag im Ergebnishaushalt kann nur durch eine Entnahme aus der Ausgleichsrücklage gedeckt werden.",
    "{Off} wies darauf hin, dass die Steuereinnahmen im zweiten Halbjahr deutlich hinter den Erwartungen zurückgeblieben sind.",
    "Die Verschuldung je Einwohner lag zum 31. Dezember {prevyear} bei {small}.",
    "Gemäß § 82 Abs. 1 der Gemeindeordnung ist der Haushaltsplan vor Beginn des Haushaltsjahres zu beschließen.",
    "Mehrere Fraktionen beantragten, die Mittel für die offene Jugendarbeit um {small} zu erhöhen.",
    "Der Antrag wurde mit 17 zu 9 Stimmen bei zwei Enthaltungen angenommen.",
    "Die Liquidität ist nach derzeitigem Stand bis zum Ende des dritten Quartals gesichert.",
    "Über die Verwendung der Mehreinnahmen aus der Gewerbesteuer (ca. {amt}) soll im Herbst entschieden werden.",
    "Die Hebesätze für die Grundsteuer A und B bleiben im kommenden Jahr unverändert.",
]
SENT["de"]["bau"] = [
    "Die Arbeiten an der Ortsumgehung im Abschnitt Nord haben sich wegen fehlender Genehmigungen um mehrere Monate verzögert.",
    "Laut {off} sollen die Bauarbeiten an der Grundschule Am Lindenhof bis zum {date} abgeschlossen sein.",
    "Die Gesamtkosten der Maßnahme werden inzwischen auf {amt} geschätzt, d. h. rund {pct} mehr als ursprünglich veranschlagt.",
    "Ursache der Mehrkosten sind vor allem gestiegene Preise für Stahl, Beton und Dämmstoffe.",
    "Der Bebauungsplan Nr. {n} „Wohnen am Mühlbach“ liegt vom {date} an für vier Wochen öffentlich aus.",
    "Im Rahmen der Öffentlichkeitsbeteiligung gingen insgesamt {n} Stellungnahmen von Bürgerinnen und Bürgern ein.",
    "Die Brücke über die Schwarzach ist seit dem Frühjahr nur noch für Fahrzeuge bis 7,5 t freigegeben.",
    "Ein Ersatzneubau ist nach Einschätzung des Straßenbauamts frühestens ab {nextyear} möglich.",
    "Der {org} empfahl, die Vergabe der Rohbauarbeiten in zwei Lose aufzuteilen.",
    "Für die energetische Sanierung des Rathauses wurden Fördermittel des Bundes in Höhe von {amt} bewilligt.",
    "Die Baustelle wird voraussichtlich ab Montag, dem {date}, halbseitig gesperrt.",
    "Anwohnerinnen und Anwohner werden gebeten, die ausgeschilderten Umleitungen zu nutzen.",
    "Nach dem Abbruch des alten Feuerwehrgerätehauses entstehen auf dem Grundstück 48 geförderte Wohnungen.",
]
SENT["de"]["verkehr"] = [
    "Seit dem Fahrplanwechsel im Dezember verkehrt die Buslinie 512 werktags im 20-Minuten-Takt.",
    "Die Fahrgastzahlen im öffentlichen Nahverkehr sind im Vergleich zum Vorjahr um {pct} gestiegen.",
    "Besonders stark nachgefragt wird das Deutschlandticket, das im Verbundgebiet inzwischen ca. {thousands} Personen im Abonnement nutzen.",
    "{Off} kündigte an, das Radwegenetz bis {nextyear} um weitere 35 km zu erweitern.",
    "Auf der Bundesstraße B 27 wurden im Berichtszeitraum {n} Unfälle mit Personenschaden registriert.",
    "Die Einführung von Tempo 30 vor Schulen und Kitas wird von der Polizei ausdrücklich unterstützt.",
    "Der Verkehrsverbund rechnet für das kommende Jahr mit einem Defizit von rund {amt}.",
    "Die Umgestaltung des Bahnhofsvorplatzes soll gemeinsam mit der Deutschen Bahn AG geplant werden.",
    "Auf Nachfrage teilte die Verwaltung mit, dass für das Parkhaus Nr. 3 noch kein Betreiber gefunden wurde.",
    "Die Zahl der öffentlichen Ladepunkte für Elektrofahrzeuge hat sich seit {prevyear} mehr als verdoppelt.",
    "Pendlerinnen und Pendler müssen sich vom {date} an auf längere Fahrzeiten einstellen.",
    "Im ländlichen Raum soll ein Rufbus die Lücken im Linienverkehr schließen, z. B. am Wochenende und in den Abendstunden.",
]
SENT["de"]["umwelt"] = [
    "Der Anteil erneuerbarer Energien am Stromverbrauch der kommunalen Liegenschaften lag zuletzt bei {pct}.",
    "Im Stadtgebiet wurden im vergangenen Jahr {n} Bäume neu gepflanzt, u. a. Linden, Ahorne und Eichen.",
    "Die Grenzwerte für Stickstoffdioxid wurden an allen Messstellen eingehalten.",
    "Nach Auskunft von {off} soll das Klimaschutzkonzept bis Mitte {nextyear} fortgeschrieben werden.",
    "Die Menge des gesammelten Restmülls sank auf {n} kg je Einwohnerin und Einwohner.",
    "Die Hochwasserschutzmaßnahmen am Mühlgraben kosten nach aktueller Planung ca. {amt}.",
    "Der {org} sprach sich dafür aus, auf allen geeigneten Dachflächen städtischer Gebäude Photovoltaikanlagen zu installieren.",
    "Private Grundstückseigentümer können für Entsiegelungsmaßnahmen einen Zuschuss von bis zu 5.000 Euro beantragen.",
    "Die Trockenheit der letzten Sommer hat dem Stadtwald erheblich zugesetzt.",
    "Rund {pct} der Fichtenbestände gelten inzwischen als geschädigt.",
    "Ein Gutachten zur kommunalen Wärmeplanung wird derzeit von einem externen Ingenieurbüro erstellt.",
    "Die Ergebnisse der Gewässeruntersuchung werden im Frühjahr im Umweltportal veröffentlicht.",
]
SENT["de"]["bildung"] = [
    "Zum Schuljahresbeginn wurden an den Grundschulen im Kreisgebiet insgesamt {n} Kinder eingeschult.",
    "Der Bedarf an Ganztagsplätzen übersteigt das Angebot weiterhin deutlich.",
    "{Off} kündigte an, bis zum Schuljahr {nextyear}/{nextyear2} zusätzliche Betreuungsgruppen einzurichten.",
    "Für die Ausstattung der Schulen mit digitalen Endgeräten stehen Mittel aus dem DigitalPakt in Höhe von {amt} zur Verfügung.",
    "Die Volkshochschule verzeichnete im Berichtsjahr {thousands} Kursanmeldungen, das sind {pct} mehr als im Vorjahr.",
    "Besonders gefragt waren Sprachkurse, z. B. Deutsch als Zweitsprache sowie Englisch und Spanisch.",
    "Die Stadtbibliothek hat ihre Öffnungszeiten am Samstag bis 16 Uhr verlängert.",
    "Der {org} befasste sich zudem mit dem Raumprogramm für die neue Gesamtschule.",
    "In den Kindertagesstätten sind derzeit {n} Stellen für Erzieherinnen und Erzieher unbesetzt.",
    "Die Elternbeiträge bleiben nach dem Beschluss vom {date} unverändert.",
    "Die Schulsozialarbeit wird an drei weiteren Standorten mit insgesamt 2,5 Stellen ausgebaut.",
]
SENT["de"]["soziales"] = [
    "Die Zahl der Leistungsberechtigten nach dem SGB II ist im Jahresverlauf leicht zurückgegangen.",
    "Das Gesundheitsamt führte im Berichtszeitraum {n} Hygienekontrollen in Gemeinschaftseinrichtungen durch.",
    "{Off} betonte die Bedeutung der Schuldnerberatung für Familien mit geringem Einkommen.",
    "Für die Unterbringung geflüchteter Menschen wurden zusätzlich 120 Plätze in der ehemaligen Kaserne geschaffen.",
    "Die Wartezeit auf einen Termin in der Wohngeldstelle beträgt derzeit ca. sechs Wochen.",
    "Der Pflegestützpunkt hat im vergangenen Jahr mehr als {thousands} Beratungsgespräche geführt.",
    "Der {org} beschloss, den Zuschuss an die Tafel e. V. auf {small} jährlich zu erhöhen.",
    "Seniorinnen und Senioren können den Fahrdienst künftig auch telefonisch buchen.",
    "Nach Einschätzung der Verwaltung wird der Bedarf an barrierefreien Wohnungen bis {nextyear} deutlich steigen.",
    "Die Impfquote gegen Masern bei Schulanfängern liegt bei {pct}.",
    "Beratungsangebote für Alleinerziehende stehen montags bis donnerstags im Familienzentrum zur Verfügung.",
]
SENT["de"]["verfahren"] = [
    "Die Sitzung wurde um 17.05 Uhr von {off} eröffnet.",
    "Die Beschlussfähigkeit wurde festgestellt; es waren {members} von 41 Mitgliedern anwesend.",
    "Die Niederschrift über die Sitzung vom {date} wurde ohne Änderungen genehmigt.",
    "Zu Tagesordnungspunkt 4 lag die Vorlage Nr. {vorlage} vor.",
    "Auf Antrag einer Fraktion wurde Tagesordnungspunkt 7 abgesetzt und in den {org} verwiesen.",
    "Die Verwaltung wurde beauftragt, bis zur nächsten Sitzung einen Sachstandsbericht vorzulegen.",
    "Einwohnerfragen wurden nicht gestellt.",
    "Der Beschluss erging einstimmig.",
    "Gegen den Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch eingelegt werden.",
    "Die Ergebnisse der Prüfung werden dem {org} im nächsten Quartal vorgestellt.",
    "Der öffentliche Teil der Sitzung endete um 19.40 Uhr.",
    "Nähere Informationen enthält die Anlage 2 zu dieser Vorlage (vgl. S. 14 ff.).",
    "Die nächste Sitzung findet am {date} im Großen Sitzungssaal des Rathauses statt.",
]

SENT["fr"]["haushalt"] = [
    "Le conseil municipal a adopté le budget primitif {year} lors de sa séance du {date}.",
    "Selon {off}, les dépenses de fonctionnement progressent de {pct} par rapport à l'exercice précédent.",
    "Les charges de personnel s'élèvent à environ {amt} et restent le premier poste de dépenses.",
    "Un montant de {amt} est consacré aux investissements, notamment à la rénovation des écoles et de la voirie.",
    "Conformément à l'art. L. 2312-1 du code général des collectivités territoriales, le débat d'orientation budgétaire s'est tenu deux mois avant le vote.",
    "Les taux d'imposition restent inchangés pour la troisième année consécutive.",
    "{Off} a rappelé que la dotation globale de fonctionnement versée par l'État a encore diminué.",
    "L'encours de la dette s'établissait au 31 décembre {prevyear} à {amt}, soit {small} par habitant.",
    "La {org} a émis un avis favorable, sous réserve d'un suivi trimestriel de l'exécution.",
    "Le groupe d'opposition a voté contre, estimant que les hypothèses de recettes étaient trop optimistes.",
    "La délibération n° {delib} a été adoptée par 29 voix pour et 6 contre.",
    "Les crédits non consommés seront reportés sur l'exercice suivant.",
    "La capacité d'autofinancement nette atteint {amt}, un niveau jugé satisfaisant par la {org}.",
]
SENT["fr"]["bau"] = [
    "Les travaux de réhabilitation du groupe scolaire Jules-Ferry ont débuté le {date}.",
    "D'après {off}, le chantier devrait s'achever avant la rentrée de septembre {nextyear}.",
    "Le coût total de l'opération est désormais estimé à {amt}, soit une hausse de {pct} par rapport au montant initial.",
    "Cette augmentation s'explique principalement par la flambée des prix de l'acier et des matériaux isolants.",
    "Le plan local d'urbanisme (PLU) fera l'objet d'une enquête publique à compter du {date}.",
    "Au total, {n} observations ont été consignées dans le registre mis à disposition en mairie.",
    "Le pont de la rue des Tanneurs est interdit aux véhicules de plus de 3,5 t depuis le mois de mars.",
    "La {org} a recommandé de scinder le marché de gros œuvre en deux lots.",
    "Une subvention de {amt} a été accordée au titre de la dotation de soutien à l'investissement local.",
    "La circulation sera alternée sur la RD 938 pendant toute la durée des travaux.",
    "Les riverains sont invités à emprunter les itinéraires de déviation mis en place.",
    "Après la démolition de l'ancienne caserne des pompiers, 48 logements sociaux seront construits sur le terrain.",
]
SENT["fr"]["verkehr"] = [
    "Depuis le changement de service de décembre, la ligne de bus n° 12 circule toutes les 15 minutes en semaine.",
    "La fréquentation du réseau de transports en commun a augmenté de {pct} sur un an.",
    "{Off} a annoncé la création de 25 km de pistes cyclables supplémentaires d'ici {nextyear}.",
    "Sur la RN 7, {n} accidents corporels ont été recensés au cours de la période.",
    "La mise en place de zones à 30 km/h aux abords des écoles est soutenue par la gendarmerie.",
    "L'autorité organisatrice prévoit un déficit d'exploitation d'environ {amt} pour l'an prochain.",
    "Le réaménagement du parvis de la gare sera conduit en partenariat avec SNCF Gares & Connexions.",
    "Le nombre de bornes de recharge pour véhicules électriques a plus que doublé depuis {prevyear}.",
    "Les usagers sont invités à consulter les horaires mis à jour sur le site du réseau.",
    "Une navette gratuite relie désormais le centre-ville aux zones d'activités (p. ex. la zone des Portes du Sud).",
    "Les abonnements scolaires seront pris en charge à hauteur de 50 % par le département à compter du {date}.",
]
SENT["fr"]["umwelt"] = [
    "La part des énergies renouvelables dans la consommation des bâtiments communaux atteint désormais {pct}.",
    "Au cours de l'année, {n} arbres ont été plantés dans les parcs et le long des boulevards.",
    "Les valeurs limites de dioxyde d'azote ont été respectées sur l'ensemble des stations de mesure.",
    "Selon {off}, le plan climat-air-énergie territorial sera révisé d'ici la fin de {nextyear}.",
    "La production d'ordures ménagères résiduelles est passée à {n} kg par habitant.",
    "Les travaux de protection contre les crues de la Moselle sont estimés à {amt}.",
    "La {org} s'est prononcée en faveur de l'installation de panneaux photovoltaïques sur les toitures des gymnases.",
    "Les sécheresses successives ont fortement fragilisé la forêt communale.",
    "Environ {pct} des épicéas sont aujourd'hui considérés comme dépérissants.",
    "Une aide de 3 000 euros au maximum est proposée aux propriétaires qui désimperméabilisent leur cour.",
    "Les résultats des analyses de la qualité de l'eau seront publiés au printemps.",
]
SENT["fr"]["bildung"] = [
    "À la rentrée, {n} élèves ont été accueillis dans les écoles maternelles et élémentaires de la commune.",
    "La demande de places en accueil périscolaire reste nettement supérieure à l'offre.",
    "{Off} a annoncé l'ouverture de deux classes supplémentaires à l'école du Centre.",
    "Un montant de {amt} est prévu pour l'équipement numérique des collèges du département.",
    "La médiathèque a enregistré {thousands} inscriptions, soit {pct} de plus que l'année précédente.",
    "Les ateliers de français langue étrangère, les cours d'informatique, etc. affichent complet.",
    "La restauration scolaire sert en moyenne 1 850 repas par jour, dont 40 % de produits issus de l'agriculture biologique.",
    "Les tarifs de la cantine restent inchangés conformément à la délibération du {date}.",
    "La {org} a examiné le projet de construction d'un nouveau lycée à l'est de l'agglomération.",
    "Trois postes d'animateurs périscolaires restent à pourvoir à ce jour.",
]
SENT["fr"]["soziales"] = [
    "Le nombre d'allocataires du revenu de solidarité active (RSA) a légèrement diminué au cours de l'année.",
    "Le centre communal d'action sociale (CCAS) a instruit {n} demandes d'aide facultative.",
    "{Off} a souligné le rôle essentiel des associations caritatives pendant l'hiver.",
    "Un dispositif d'hébergement d'urgence de 80 places a été ouvert dans l'ancienne caserne Drouot.",
    "Le délai d'attente pour un rendez-vous au service logement est actuellement d'environ cinq semaines.",
    "La {org} a décidé de porter la subvention versée à la banque alimentaire à {small} par an.",
    "Les personnes âgées peuvent désormais réserver le transport à la demande par téléphone.",
    "Le taux de couverture vaccinale contre la rougeole chez les enfants de six ans s'établit à {pct}.",
    "Mme la vice-présidente a rappelé que le guichet unique reste ouvert le mardi jusqu'à 19 h.",
    "Selon l'Insee, la part des ménages vivant sous le seuil de pauvreté atteint {pct} dans le quartier.",
]
SENT["fr"]["verfahren"] = [
    "La séance est ouverte à 18 h 30 par {off}.",
    "Le quorum étant atteint, le conseil peut valablement délibérer.",
    "Le procès-verbal de la séance du {date} est adopté à l'unanimité.",
    "M. le maire donne lecture de l'ordre du jour, qui comporte {agenda} points.",
    "En application de l'art. 3 du règlement intérieur, le point 7 est retiré de l'ordre du jour.",
    "Les services sont chargés de présenter un bilan d'étape lors de la prochaine réunion.",
    "Aucune question écrite n'a été déposée.",
    "La délibération est adoptée à l'unanimité des suffrages exprimés.",
    "Cette décision peut faire l'objet d'un recours devant le tribunal administratif dans un délai de deux mois.",
    "Les conclusions de l'audit seront présentées à la {org} au cours du prochain trimestre.",
    "La séance est levée à 21 h 15.",
    "MM. Girard et Lefèvre ont donné pouvoir à Mme Roussel.",
    "La prochaine réunion se tiendra le {date} dans la salle du conseil de l'hôtel de ville.",
]

SENT["en"]["haushalt"] = [
    "The {org} considered the draft revenue budget for {year} at its meeting on {date}.",
    "According to {off}, net operating expenditure will rise by {pct} compared with the previous year.",
    "Staff costs amount to approx. {amt} and remain the largest single item.",
    "Capital spending of {amt} is planned, e.g. for the repair of school buildings and bridges.",
    "Council Tax will increase by 4.99 per cent, the maximum permitted without a referendum.",
    "The projected shortfall can only be met by drawing on general reserves.",
    "{Off} warned that business rates income in the second half of the year had fallen well short of expectations.",
    "The motion to increase the youth services budget by {small} was carried by 31 votes to 18.",
    "Under Sec. 25 of the Local Government Act 2003, the chief finance officer must report on the robustness of the estimates.",
    "Any underspend will be carried forward to the next financial year.",
]
SENT["en"]["bau"] = [
    "Work on the northern section of the relief road has been delayed by several months.",
    "According to {off}, the new primary school on Mill Lane should be completed by {date}.",
    "The total cost of the scheme is now estimated at {amt}, i.e. around {pct} above the original budget.",
    "The increase is mainly due to higher prices for steel, concrete and insulation materials.",
    "Planning application No. {n}/FUL for 48 affordable homes was approved subject to conditions.",
    "The bridge over the River Ouse has been restricted to vehicles under 7.5 tonnes since the spring.",
    "The {org} recommended that the main contract be let in two lots.",
    "Residents are asked to follow the signed diversion routes while the works are under way.",
    "A grant of {amt} was awarded from the Levelling Up Fund for the refurbishment of the town hall.",
]
SENT["en"]["verfahren"] = [
    "The meeting was opened at 6.30 p.m. by {off}.",
    "The minutes of the meeting held on {date} were approved as a correct record.",
    "Apologies for absence were received from Councillors Patel and O'Neill.",
    "No declarations of interest were made.",
    "The report of the Monitoring Officer (Item No. 6) was noted.",
    "Officers were asked to bring a progress report to the next meeting.",
    "The recommendation was agreed unanimously.",
    "The findings of the review will be presented to the {org} in the next quarter.",
    "The meeting closed at 8.45 p.m.",
    "The next meeting will take place on {date} in the Council Chamber.",
]
SENT["en"]["verkehr"] = [
    "Since the timetable change in December, route 42 has run every 15 minutes on weekdays.",
    "Bus patronage rose by {pct} compared with the previous year.",
    "{Off} announced that a further 20 miles of cycle lanes would be built by {nextyear}.",
    "There were {n} collisions involving injury on the A road network during the period.",
    "The introduction of 20 mph limits outside schools is strongly supported by the police.",
    "The number of public charging points for electric vehicles has more than doubled since {prevyear}.",
    "Commuters should expect longer journey times from {date} onwards.",
    "A demand-responsive bus will serve outlying villages, e.g. in the evenings and at weekends.",
]

SENT["en"]["umwelt"] = [
    "Renewable sources now supply {pct} of the electricity used in council buildings.",
    "A total of {n} street trees were planted during the year, mainly limes, maples and oaks.",
    "Nitrogen dioxide levels remained below the legal limit at all monitoring sites.",
    "According to {off}, the Climate Action Plan will be updated by the middle of {nextyear}.",
    "Residual household waste fell to {n} kg per resident.",
    "The flood defence scheme on the Mill Stream is currently estimated to cost approx. {amt}.",
    "The {org} supported the installation of solar panels on all suitable school roofs.",
    "Homeowners can apply for a grant of up to £5,000 to replace paving with permeable surfaces.",
    "Successive dry summers have caused considerable damage to the town's woodland.",
    "Around {pct} of the spruce stands are now classed as damaged.",
    "A heat network feasibility study is being prepared by external consultants.",
    "The results of the river water quality survey will be published in the spring.",
]

HEADINGS = {
    "de": {
        "haushalt": ["Haushaltslage", "Entwicklung der Erträge und Aufwendungen", "Investitionsprogramm", "Finanzielle Auswirkungen"],
        "bau": ["Stand der Baumaßnahmen", "Kostenentwicklung", "Bauleitplanung", "Straßen und Brücken"],
        "verkehr": ["Öffentlicher Personennahverkehr", "Radverkehr", "Verkehrssicherheit", "Mobilität im ländlichen Raum"],
        "umwelt": ["Klimaschutz und Energie", "Stadtgrün und Wald", "Abfallwirtschaft", "Hochwasserschutz"],
        "bildung": ["Schulen und Kindertagesstätten", "Ganztagsbetreuung", "Weiterbildung", "Bibliotheken"],
        "soziales": ["Soziale Leistungen", "Gesundheitsschutz", "Unterbringung und Integration", "Angebote für Seniorinnen und Senioren"],
        "verfahren": ["Eröffnung und Formalien", "Beratung und Beschlussfassung", "Mitteilungen der Verwaltung", "Verschiedenes"],
        "_general": ["Ausgangslage", "Zusammenfassung", "Vorbemerkung", "Ausblick", "Empfehlungen", "Bewertung"],
    },
    "fr": {
        "haushalt": ["Situation financière", "Évolution des recettes et des dépenses", "Programme d'investissement", "Incidences financières"],
        "bau": ["État d'avancement des travaux", "Évolution des coûts", "Urbanisme", "Voirie et ouvrages d'art"],
        "verkehr": ["Transports en commun", "Mobilités douces", "Sécurité routière", "Desserte des zones rurales"],
        "umwelt": ["Climat et énergie", "Espaces verts et forêts", "Gestion des déchets", "Prévention des inondations"],
        "bildung": ["Écoles et accueil périscolaire", "Restauration scolaire", "Lecture publique", "Formation des adultes"],
        "soziales": ["Action sociale", "Santé publique", "Hébergement d'urgence", "Personnes âgées"],
        "verfahren": ["Ouverture de la séance", "Délibérations", "Communications du maire", "Questions diverses"],
        "_general": ["Contexte", "Synthèse", "Préambule", "Perspectives", "Recommandations", "Analyse"],
    },
    "en": {
        "haushalt": ["Financial position", "Income and expenditure", "Capital programme", "Financial implications"],
        "bau": ["Progress of works", "Cost pressures", "Planning applications", "Roads and bridges"],
        "verfahren": ["Opening of the meeting", "Decisions", "Reports from officers", "Any other business"],
        "verkehr": ["Public transport", "Active travel", "Road safety", "Rural connectivity"],
        "umwelt": ["Climate and energy", "Trees and woodland", "Waste and recycling", "Flood risk"],
        "_general": ["Background", "Summary", "Introduction", "Outlook", "Recommendations", "Assessment"],
    },
}

LISTS = {
    "de": {
        "haushalt": ["Sanierung der Sporthalle an der Lindenstraße", "Erneuerung der Straßenbeleuchtung auf LED-Technik",
                     "Anschaffung von zwei Löschfahrzeugen für die Freiwillige Feuerwehr", "Erweiterung des Breitbandnetzes in den Ortsteilen",
                     "Zuschüsse an Vereine und Verbände", "Tilgung von Investitionskrediten"],
        "bau": ["Rohbau der Mensa abgeschlossen", "Ausschreibung der Haustechnik bis Ende Mai", "Fertigstellung der Außenanlagen im Herbst",
                "Abbruch des alten Feuerwehrgerätehauses", "Umgestaltung des Marktplatzes", "Sanierung der Kanalisation in der Altstadt"],
        "verkehr": ["Verlängerung der Straßenbahnlinie 4 bis zum Klinikum", "Einrichtung von 12 neuen Bike-and-Ride-Stationen",
                    "Barrierefreier Ausbau von 30 Bushaltestellen", "Einführung eines Rufbus-Angebots am Wochenende",
                    "Neuordnung der Parkraumbewirtschaftung in der Innenstadt"],
        "umwelt": ["Photovoltaikanlagen auf fünf Schulgebäuden", "Pflanzung von 400 klimaresistenten Straßenbäumen",
                   "Renaturierung des Mühlbachs auf 1,8 km Länge", "Umstellung des Fuhrparks auf Elektrofahrzeuge",
                   "Einführung der Biotonne in allen Ortsteilen"],
        "bildung": ["Vier zusätzliche Ganztagsgruppen", "WLAN in allen Klassenräumen", "Sanierung der Sanitäranlagen an der Realschule",
                    "Ausbau der Schulsozialarbeit um 3,5 Stellen", "Erweiterung des Kursangebots der Volkshochschule"],
        "soziales": ["Ausbau der Schuldnerberatung", "Einrichtung eines Pflegestützpunkts im Nordkreis", "Förderung von Quartierstreffs",
                     "Verlängerung des Sozialtickets bis Ende 2025", "Beratung für Alleinerziehende"],
        "verfahren": ["Genehmigung der Niederschrift", "Bericht der Verwaltung zum Haushaltsvollzug", "Wahl eines stellvertretenden Mitglieds",
                      "Anfragen aus dem Gremium", "Festsetzung des nächsten Sitzungstermins"],
    },
    "fr": {
        "haushalt": ["Rénovation du gymnase Pierre-de-Coubertin", "Passage de l'éclairage public en LED",
                     "Acquisition de deux véhicules pour le centre de secours", "Extension de la fibre optique dans les hameaux",
                     "Subventions aux associations", "Remboursement du capital de la dette"],
        "bau": ["Gros œuvre du restaurant scolaire achevé", "Consultation pour les lots techniques avant fin mai",
                "Aménagements extérieurs à l'automne", "Démolition de l'ancienne caserne", "Requalification de la place du Marché"],
        "verkehr": ["Prolongement de la ligne de tramway T2 jusqu'à l'hôpital", "Création de 12 parcs à vélos sécurisés",
                    "Mise en accessibilité de 30 arrêts de bus", "Transport à la demande le week-end", "Nouvelle politique de stationnement en centre-ville"],
        "umwelt": ["Centrales photovoltaïques sur cinq écoles", "Plantation de 400 arbres d'alignement", "Renaturation du ruisseau sur 1,8 km",
                   "Conversion de la flotte de véhicules à l'électrique", "Collecte des biodéchets dans tous les quartiers"],
        "bildung": ["Quatre groupes périscolaires supplémentaires", "Wi-Fi dans toutes les salles de classe", "Rénovation des sanitaires du collège",
                    "Renforcement de la médiation scolaire", "Élargissement de l'offre de cours pour adultes"],
        "soziales": ["Renforcement de l'accompagnement budgétaire", "Ouverture d'un point info seniors", "Soutien aux maisons de quartier",
                     "Prolongation de la tarification solidaire jusqu'à fin 2025", "Permanences pour les familles monoparentales"],
        "verfahren": ["Approbation du procès-verbal", "Compte rendu des décisions du maire", "Désignation d'un représentant suppléant",
                      "Questions orales", "Fixation de la date de la prochaine séance"],
    },
    "en": {
        "haushalt": ["Refurbishment of the Leisure Centre", "Replacement of street lighting with LED units", "Two new fire appliances",
                     "Broadband extension to rural wards", "Grants to voluntary organisations"],
        "bau": ["Superstructure of the school hall completed", "Tender for mechanical and electrical works by end of May",
                "Landscaping in the autumn", "Demolition of the former depot"],
        "verfahren": ["Approval of the minutes", "Budget monitoring report", "Appointment of a substitute member", "Questions from members"],
        "verkehr": ["Extension of route 42 to the hospital", "Twelve new secure cycle hubs", "Step-free access at 30 bus stops", "Weekend demand-responsive service"],
        "umwelt": ["Solar panels on five schools", "Planting of 400 street trees", "Restoration of 1.8 km of the Mill Stream",
                   "Electric vehicles for the council fleet", "Food waste collection in every ward"],
    },
}

CAPTIONS = {
    "de": {"table": ["Haushaltsansätze nach Produktbereichen (in Tsd. Euro)", "Übersicht der laufenden Baumaßnahmen",
                     "Fahrgastzahlen nach Linien", "Umweltkennzahlen im Vergleich", "Schülerzahlen nach Schulen",
                     "Fallzahlen ausgewählter Leistungen", "Ergebnisse der Beratung"],
           "figure": ["Entwicklung der Investitionen seit 2019", "Anteil der Ausgaben nach Bereichen", "Fahrgastentwicklung im Jahresverlauf"],
           "tlabel": "Tabelle", "flabel": "Abbildung", "sep": ": "},
    "fr": {"table": ["Crédits par politique publique (en milliers d'euros)", "Liste des opérations en cours", "Fréquentation par ligne",
                     "Indicateurs environnementaux", "Effectifs scolaires par établissement", "Nombre de dossiers traités",
                     "Résultats des votes"],
           "figure": ["Évolution des investissements depuis 2019", "Répartition des dépenses par secteur", "Fréquentation mensuelle du réseau"],
           "tlabel": "Tableau", "flabel": "Figure", "sep": " : "},
    "en": {"table": ["Budget by service area (£000)", "Schemes in progress", "Passenger numbers by route", "Summary of decisions",
                     "Environmental indicators"],
           "figure": ["Capital spending since 2019", "Spending by service area", "Monthly bus patronage"],
           "tlabel": "Table", "flabel": "Figure", "sep": ": "},
}

FOOTNOTES = {
    "de": [["Vgl. Drucksache Nr. 17/2345 vom 12. Mai 2023."], ["Die Angaben beruhen auf dem vorläufigen Jahresabschluss."],
           ["Quelle: Statistisches Landesamt, eigene Berechnungen."],
           ["Ohne Berücksichtigung der Sondervermögen.", "Die Werte des Vorjahres wurden angepasst."],
           ["Beschluss des Kreistags vom 4. Juli 2022 (Vorlage Nr. 2022/071)."],
           ["Gemäß § 95 Abs. 2 GemO ist der Jahresabschluss innerhalb von drei Monaten aufzustellen."],
           ["Die Erhebung erfolgte im Zeitraum Januar bis März."], ["Einschließlich der Mittel aus dem Kommunalinvestitionsförderungsgesetz."],
           ["Angaben des Verkehrsverbunds.", "Die Zählmethode wurde 2022 umgestellt."], ["Stand der Daten: 30. September."]],
    "fr": [["Voir la délibération n° 2023-114 du 12 mai 2023."], ["Données provisoires, arrêtées au 30 septembre."],
           ["Source : Insee, recensement de la population 2020."],
           ["Hors budgets annexes.", "Les montants de l'exercice précédent ont été retraités."],
           ["Conformément à l'art. L. 1612-2 du code général des collectivités territoriales."],
           ["Montants arrondis au millier d'euros le plus proche."], ["Enquête réalisée auprès de 1 200 ménages entre janvier et mars."],
           ["Y compris les crédits du plan de relance."], ["Chiffres communiqués par l'autorité organisatrice des mobilités."]],
    "en": [["See report No. 23/114 to the Cabinet of 12 May 2023."], ["Figures are provisional and unaudited."],
           ["Source: Office for National Statistics, own calculations."],
           ["Excluding the Housing Revenue Account.", "Prior-year figures have been restated."], ["Data as at 30 September."]],
}

TITLES = {
    "de": {"haushalt": "Haushalt {year}: Eckpunkte und Beratungsstand", "bau": "Sachstandsbericht Hochbau und Tiefbau",
           "verkehr": "Mobilität und Nahverkehr im Kreisgebiet", "umwelt": "Klimaschutz in der Stadtverwaltung",
           "bildung": "Bildung und Betreuung: Bericht {year}", "soziales": "Soziale Infrastruktur und Gesundheit",
           "verfahren": "Niederschrift über die Sitzung des {org}"},
    "fr": {"haushalt": "Budget {year} : orientations et débats", "bau": "Point d'étape sur les travaux",
           "verkehr": "Mobilités et transports en commun", "umwelt": "Transition écologique : bilan {year}",
           "bildung": "Éducation et jeunesse : rapport {year}", "soziales": "Cohésion sociale et santé",
           "verfahren": "Compte rendu de la séance du conseil municipal"},
    "en": {"haushalt": "Revenue Budget {year}: Key Issues", "bau": "Capital Works Update", "verfahren": "Minutes of the {org}",
           "verkehr": "Transport and Travel Report {year}", "umwelt": "Climate Action: Progress Report {year}"},
}
DOCTYPES = {
    "de": ["Jahresbericht", "Sitzungsbericht", "Beschlussvorlage", "Tätigkeitsbericht", "Pressemitteilung", "Prüfbericht", "Mitteilungsvorlage"],
    "fr": ["Rapport annuel", "Compte rendu", "Communiqué de presse", "Rapport d'activité", "Note de synthèse", "Délibération"],
    "en": ["Annual Report", "Committee Report", "Press Release", "Briefing Note"],
}
AUTHORS = {
    "de": ["Stadtverwaltung {place}, Amt für Finanzen", "Dr. Susanne Albrecht", "Landratsamt, Stabsstelle Kommunikation",
           "Katrin Schäfer", "Geschäftsstelle des Kreistags", "Peter Lindner"],
    "fr": ["Direction des finances", "Claire Dubois", "Service communication de la ville de {place}", "Nathalie Girard",
           "Secrétariat général"],
    "en": ["Democratic Services", "Laura Bennett", "Corporate Communications Team"],
}


def _table(lang: str, theme: str, rng, year: int) -> list[list[str]]:
    """A small table for the theme: a header row, then 3-5 rows."""
    def num(a, b):
        value = rng.randint(a, b)
        if lang == "de":
            return f"{value:,}".replace(",", ".")
        if lang == "fr":
            return f"{value:,}".replace(",", NBSP)
        return f"{value:,}"

    def dec(a, b):
        value = rng.randint(a, b) / 10
        return f"{value:.1f}".replace(".", ",") if lang in ("de", "fr") else f"{value:.1f}"

    def change():
        value = rng.randint(-80, 120) / 10
        text = f"{value:+.1f}".replace(".", ",") if lang in ("de", "fr") else f"{value:+.1f}"
        return text + (" %" if lang != "en" else "%")

    lab = {
        "de": {
            "haushalt": (["Produktbereich", f"Ansatz {year}", f"Ansatz {year + 1}", "Veränderung"],
                         ["Innere Verwaltung", "Sicherheit und Ordnung", "Schulträgeraufgaben", "Kultur und Wissenschaft",
                          "Soziale Leistungen", "Kinder-, Jugend- und Familienhilfe"], lambda: [num(800, 40000), num(800, 40000), change()]),
            "bau": (["Maßnahme", "Kosten (Mio. Euro)", "Fertigstellung"],
                    ["Grundschule Am Lindenhof", "Brücke Schwarzach", "Feuerwache Süd", "Rathaus, Dachsanierung", "Kita Regenbogen"],
                    lambda: [dec(5, 190), f"{rng.randint(1, 4)}. Quartal {year + rng.randint(1, 3)}"]),
            "verkehr": (["Linie", f"Fahrgäste {year - 1}", f"Fahrgäste {year}", "Takt"],
                        ["Bus 512", "Bus 514", "Straßenbahn 4", "RufBus Nord", "Regionalbus 7800"],
                        lambda: [num(40000, 900000), num(40000, 900000), f"{rng.choice([10, 15, 20, 30, 60])} Min."]),
            "umwelt": (["Kennzahl", str(year - 1), str(year)],
                       ["Stromverbrauch (MWh)", "Anteil Ökostrom", "Restmüll je Einwohner (kg)", "Neu gepflanzte Bäume"],
                       lambda: [num(100, 9000), num(100, 9000)]),
            "bildung": (["Schule", "Schülerzahl", "Klassen", "Ganztag"],
                        ["Grundschule Nord", "Grundschule Am Park", "Realschule plus", "Gesamtschule Mitte", "Gymnasium am Schloss"],
                        lambda: [num(120, 1100), str(rng.randint(6, 40)), rng.choice(["ja", "nein", "teilweise"])]),
            "soziales": (["Leistung", f"Fälle {year - 1}", f"Fälle {year}"],
                         ["Wohngeld", "Hilfe zur Pflege", "Eingliederungshilfe", "Schuldnerberatung", "Bildung und Teilhabe"],
                         lambda: [num(90, 6000), num(90, 6000)]),
            "verfahren": (["TOP", "Gegenstand", "Ergebnis"], None, None),
        },
        "fr": {
            "haushalt": (["Politique publique", f"BP {year}", f"BP {year + 1}", "Évolution"],
                         ["Administration générale", "Sécurité et salubrité", "Enseignement", "Culture", "Action sociale",
                          "Aménagement urbain"], lambda: [num(800, 40000), num(800, 40000), change()]),
            "bau": (["Opération", "Coût (M€)", "Livraison"],
                    ["Groupe scolaire Jules-Ferry", "Pont des Tanneurs", "Caserne Sud", "Hôtel de ville, toiture", "Crèche Arc-en-ciel"],
                    lambda: [dec(5, 190), f"{rng.choice(['1er', '2e', '3e', '4e'])} trimestre {year + rng.randint(1, 3)}"]),
            "verkehr": (["Ligne", f"Voyageurs {year - 1}", f"Voyageurs {year}", "Fréquence"],
                        ["Ligne 12", "Ligne 14", "Tramway T2", "TAD Nord", "Ligne express 40"],
                        lambda: [num(40000, 900000), num(40000, 900000), f"{rng.choice([10, 15, 20, 30, 60])} min"]),
            "umwelt": (["Indicateur", str(year - 1), str(year)],
                       ["Consommation électrique (MWh)", "Part d'électricité verte", "Ordures ménagères (kg/hab.)", "Arbres plantés"],
                       lambda: [num(100, 9000), num(100, 9000)]),
            "bildung": (["Établissement", "Élèves", "Classes", "Périscolaire"],
                        ["École du Centre", "École des Tilleuls", "Collège Victor-Hugo", "Lycée Condorcet", "École Jean-Moulin"],
                        lambda: [num(120, 1100), str(rng.randint(6, 40)), rng.choice(["oui", "non", "partiel"])]),
            "soziales": (["Dispositif", f"Dossiers {year - 1}", f"Dossiers {year}"],
                         ["Aide facultative", "Aide à domicile", "Hébergement d'urgence", "Accompagnement budgétaire", "Épicerie solidaire"],
                         lambda: [num(90, 6000), num(90, 6000)]),
            "verfahren": (["Point", "Objet", "Résultat"], None, None),
        },
        "en": {
            "haushalt": (["Service area", f"{year}/{str(year + 1)[2:]}", f"{year + 1}/{str(year + 2)[2:]}", "Change"],
                         ["Adult social care", "Children's services", "Highways and transport", "Waste and recycling", "Libraries"],
                         lambda: [num(800, 90000), num(800, 90000), change()]),
            "bau": (["Scheme", "Cost (£m)", "Completion"], ["Mill Lane Primary School", "Ouse Bridge", "Town Hall roof", "Eastgate depot"],
                    lambda: [dec(5, 190), f"Q{rng.randint(1, 4)} {year + rng.randint(1, 3)}"]),
            "verkehr": (["Route", str(year - 1), str(year), "Frequency"], ["Route 42", "Route 7", "Park and Ride", "Route X5"],
                        lambda: [num(40000, 900000), num(40000, 900000), f"every {rng.choice([10, 15, 20, 30])} minutes"]),
            "verfahren": (["Item", "Subject", "Decision"], None, None),
            "umwelt": (["Indicator", str(year - 1), str(year)],
                       ["Electricity use (MWh)", "Share of green electricity", "Residual waste per resident (kg)", "Trees planted"],
                       lambda: [num(100, 9000), num(100, 9000)]),
        },
    }
    header, labels, values = lab[lang][theme]
    if labels is None:  # agenda table
        items = list(LISTS[lang]["verfahren"])
        rng.shuffle(items)
        results = {"de": ["einstimmig beschlossen", "zur Kenntnis genommen", "vertagt", "mehrheitlich beschlossen"],
                   "fr": ["adopté à l'unanimité", "pris acte", "reporté", "adopté à la majorité"],
                   "en": ["agreed", "noted", "deferred", "agreed by majority"]}[lang]
        return [header] + [[str(i + 1), items[i], rng.choice(results)] for i in range(rng.randint(3, 5))]
    labels = list(labels)
    rng.shuffle(labels)
    return [header] + [[label] + values() for label in labels[:rng.randint(3, 5)]]


class Writer:
    """Draws prose for one document: no sentence, heading or list item twice."""

    def __init__(self, lang: str, rng, themes: list[str] | None = None):
        self.lang, self.rng = lang, rng
        self.pool = POOLS[lang]
        available = list(SENT[lang])
        self.themes = themes or rng.sample(available, k=min(len(available), rng.choice([2, 3])))
        self.year = rng.choice([2022, 2023, 2024])
        self.used: set[str] = set()
        self.used_templates: set[str] = set()
        self.table_no = 0
        self.figure_no = 0
        self.note_pool = list(FOOTNOTES[lang])
        rng.shuffle(self.note_pool)
        self.heading_pool = {t: list(HEADINGS[lang].get(t, [])) for t in list(HEADINGS[lang])}
        for hs in self.heading_pool.values():
            rng.shuffle(hs)

    # slot values
    def date(self, year=None):
        rng = self.rng
        year = year or self.year + rng.choice([0, 0, 1])
        day, month = rng.randint(1, 28), rng.choice(self.pool["months"])
        if self.lang == "de":
            return f"{day}. {month} {year}"
        if self.lang == "fr":
            return f"{'1er' if day == 1 else day} {month} {year}"
        return f"{day} {month} {year}"

    def amt(self):
        rng, lang = self.rng, self.lang
        if rng.random() < 0.7:
            value = f"{rng.randint(11, 980) / 10:.1f}"
            return {"de": value.replace(".", ",") + " Mio. Euro", "fr": value.replace(".", ",") + " millions d'euros",
                    "en": "£" + value + " million"}[lang]
        value = rng.randint(1, 9) * 1000 + rng.randint(0, 9) * 100
        return {"de": f"{value * 100:,}".replace(",", ".") + " Euro", "fr": f"{value * 100:,}".replace(",", NBSP) + " euros",
                "en": f"£{value * 100:,}"}[lang]

    def small(self):
        value = self.rng.randint(12, 950) * 10
        return {"de": f"{value:,}".replace(",", ".") + " Euro", "fr": f"{value:,}".replace(",", NBSP) + " euros",
                "en": f"£{value:,}"}[self.lang]

    def pct(self):
        value = self.rng.randint(12, 380) / 10
        if self.lang == "en":
            return f"{value:.1f} per cent" if self.rng.random() < 0.5 else f"{value:.1f}%"
        text = f"{value:.1f}".replace(".", ",")
        if self.lang == "de":
            return text + (" %" if self.rng.random() < 0.6 else " Prozent")
        return text + NBSP + "%"

    def fill(self, template: str) -> str:
        rng = self.rng

        def value(match):
            key = match.group(1)
            if key in ("off", "Off"):
                text = rng.choice(self.pool["off"])
                return text[0].upper() + text[1:] if key == "Off" else text
            if key == "org":
                return rng.choice(self.pool["org"])
            if key == "date":
                return self.date()
            if key == "year":
                return str(self.year)
            if key == "prevyear":
                return str(self.year - 1)
            if key == "nextyear":
                return str(self.year + 2)
            if key == "nextyear2":
                return str(self.year + 3)[2:]
            if key == "amt":
                return self.amt()
            if key == "small":
                return self.small()
            if key == "pct":
                return self.pct()
            if key == "n":
                return str(rng.randint(14, 480))
            if key == "members":
                return str(rng.randint(28, 41))
            if key == "agenda":
                return str(rng.randint(9, 18))
            if key == "thousands":
                value = rng.randint(1200, 48000)
                return {"de": f"{value:,}".replace(",", "."), "fr": f"{value:,}".replace(",", NBSP), "en": f"{value:,}"}[self.lang]
            if key == "vorlage":
                return f"{self.year}/{rng.randint(10, 240):03d}"
            if key == "delib":
                return f"{self.year}-{rng.randint(10, 240)}"
            raise KeyError(key)

        return re.sub(r"\{(\w+)\}", value, template)

    def sentence(self, theme: str | None = None) -> str:
        themes = [theme] if theme else self.themes
        for _ in range(200):
            t = self.rng.choice(themes)
            template = self.rng.choice(SENT[self.lang][t])
            if template in self.used_templates:
                continue
            self.used_templates.add(template)
            return self.fill(template)
        # pool exhausted: any theme
        for t in SENT[self.lang]:
            for template in SENT[self.lang][t]:
                if template not in self.used_templates:
                    self.used_templates.add(template)
                    return self.fill(template)
        raise RuntimeError("prose pool exhausted")

    def paragraph(self, theme: str | None = None, n: int | None = None) -> list[str]:
        n = n or self.rng.randint(2, 5)
        return [self.sentence(theme) for _ in range(n)]

    def heading(self, theme: str | None = None) -> str:
        for key in ([theme] if theme else []) + self.themes + ["_general"]:
            pool = self.heading_pool.get(key) or []
            if pool:
                return pool.pop()
        raise RuntimeError("no heading left")

    def list_items(self, theme: str | None = None, n: int | None = None) -> list[str]:
        theme = theme or self.rng.choice([t for t in self.themes if t in LISTS[self.lang]])
        items = list(LISTS[self.lang][theme])
        self.rng.shuffle(items)
        items = [i for i in items if i not in self.used][: n or self.rng.randint(3, 5)]
        self.used.update(items)
        return items

    def table(self, theme: str | None = None) -> tuple[list[list[str]], str]:
        theme = theme or self.rng.choice(self.themes)
        rows = _table(self.lang, theme, self.rng, self.year)
        self.table_no += 1
        cap = CAPTIONS[self.lang]
        order = {"de": ["haushalt", "bau", "verkehr", "umwelt", "bildung", "soziales", "verfahren"],
                 "fr": ["haushalt", "bau", "verkehr", "umwelt", "bildung", "soziales", "verfahren"],
                 "en": ["haushalt", "bau", "verkehr", "verfahren", "umwelt"]}[self.lang]
        desc = cap["table"][order.index(theme)]
        if desc in self.used:
            desc += {"de": " (Fortsetzung)", "fr": " (suite)", "en": " (continued)"}[self.lang]
        self.used.add(desc)
        return rows, f"{cap['tlabel']} {self.table_no}{cap['sep']}{desc}"

    def figure_caption(self) -> str:
        self.figure_no += 1
        cap = CAPTIONS[self.lang]
        descs = [d for d in cap["figure"] if d not in self.used]
        desc = self.rng.choice(descs)
        self.used.add(desc)
        return f"{cap['flabel']} {self.figure_no}{cap['sep']}{desc}"

    def footnote(self) -> list[str]:
        return self.note_pool.pop() if self.note_pool else [self.sentence()]

    def title(self) -> str:
        theme = self.themes[0]
        template = TITLES[self.lang].get(theme) or TITLES[self.lang][next(iter(TITLES[self.lang]))]
        return self.fill(template).replace("des Ausschuss", "des Ausschusses").replace("des Bauausschuss", "des Bauausschusses")

    def author(self) -> str:
        return self.fill(self.rng.choice(AUTHORS[self.lang]).replace("{place}", self.rng.choice(self.pool["place"])))

    def place(self) -> str:
        return self.rng.choice(self.pool["place"])

    def doctype(self) -> str:
        return self.rng.choice(DOCTYPES[self.lang])


def make_spec(lang: str, rng, *, paragraphs=(3, 6), headings=True, numbered=False, lists=0, tables=0, figures=0,
              footnotes=0, endnotes=0, frame=False, nested=False, sentences=(2, 5), themes=None) -> dict:
    """A document as blocks. Blocks: heading, p (sentences, with footnote anchors), list, table (rows, caption,
    caption side, nested table), figure (caption), frame (paragraphs in a text box)."""
    w = Writer(lang, rng, themes)
    spec = {"lang": lang, "title": w.title(), "author": w.author(), "place": w.place(), "doctype": w.doctype(),
            "year": w.year, "blocks": [], "notes": {}}
    blocks = spec["blocks"]
    n_par = rng.randint(*paragraphs)
    # where the extras go: after paragraph i
    slots = list(range(n_par))
    extra = (["list"] * lists + ["table"] * tables + ["figure"] * figures + (["frame"] if frame else []))
    placed = {}
    for kind in extra:
        placed.setdefault(rng.choice(slots[1:] or slots), []).append(kind)
    heading_every = rng.choice([2, 2, 3])
    sec = 0
    note_targets = rng.sample(range(n_par), k=min(n_par, footnotes + endnotes)) if footnotes + endnotes else []
    note_kinds = ["footnote"] * footnotes + ["endnote"] * endnotes
    note_no = 0
    for i in range(n_par):
        theme = w.themes[min(len(w.themes) - 1, i * len(w.themes) // n_par)]
        if headings and i % heading_every == 0:
            sec += 1
            text = w.heading(theme)
            blocks.append({"t": "heading", "text": f"{sec} {text}" if numbered else text, "level": 2})
        sents = w.paragraph(theme, rng.randint(*sentences))
        block = {"t": "p", "sents": sents, "notes": []}
        if i in note_targets:
            kind = note_kinds[note_targets.index(i)]
            note_no += 1
            nid = f"n{note_no}"
            spec["notes"][nid] = {"kind": kind, "sents": w.footnote()}
            s_idx = rng.randrange(len(sents))
            sent = sents[s_idx]
            # marker after the final full stop, or after a word inside the sentence
            if rng.random() < 0.5:
                pos = len(sent)
            else:
                spaces = [m.start() for m in re.finditer(" ", sent)]
                pos = rng.choice(spaces[len(spaces) // 2:]) if spaces else len(sent)
                if sent[pos - 1] in ",;:)":
                    pos -= 1
            block["notes"].append({"id": nid, "sent": s_idx, "pos": pos})
        blocks.append(block)
        for kind in placed.get(i, []):
            if kind == "list":
                blocks.append({"t": "list", "items": w.list_items(), "ordered": rng.random() < 0.3})
            elif kind == "table":
                rows, caption = w.table(theme if theme in ("haushalt", "bau", "verkehr", "umwelt", "bildung", "soziales", "verfahren") else None)
                tb = {"t": "table", "rows": rows, "caption": caption, "cap_pos": rng.choice(["above", "below"])}
                if nested:
                    nested = False
                    label = {"de": "Los", "fr": "Lot", "en": "Lot"}[lang]
                    parts = {"de": ["Rohbau", "Haustechnik", "Elektro", "Dachdecker", "Pflaster"],
                             "fr": ["Gros œuvre", "Électricité", "Toiture", "Plomberie", "Voirie"],
                             "en": ["Groundworks", "Roofing", "Electrical", "Drainage", "Paving"]}[lang]
                    inner = rng.sample(parts, 2)
                    tb["nested"] = {"row": 1, "col": len(rows[0]) - 1,
                                    "rows": [[f"{label} {k + 1}", item] for k, item in enumerate(inner)]}
                blocks.append(tb)
            elif kind == "figure":
                blocks.append({"t": "figure", "caption": w.figure_caption()})
            elif kind == "frame":
                blocks.append({"t": "frame", "paras": [w.paragraph(None, rng.randint(2, 3))]})
    spec["writer"] = w
    return spec

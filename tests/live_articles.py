"""Twenty short news articles (Middle East, early 2025) served by the tests' local site and archived in WARCs.

Written for these tests; each has a headline, a byline, a publication time and paragraphs of the kind
wires and regional outlets publish.
"""

from __future__ import annotations

OUTLET = "Levant Ledger"

ARTICLES: list[dict] = [
    {
        "slug": "iraq-turkey-border-crossing",
        "title": "Iraq and Turkey agree to open new border crossing near Zakho",
        "author": "Sara Haddad",
        "published": "2025-01-06T08:30:00Z",
        "paragraphs": [
            "BAGHDAD — Iraq and Turkey agreed on Monday to open a second border crossing near the northern town "
            "of Zakho, the Iraqi foreign ministry said after talks in Baghdad.",
            "Foreign Minister Fuad Hussein met his Turkish counterpart Hakan Fidan for three hours. The two "
            "ministers said the new crossing would ease the queues of lorries that stretch for kilometres at "
            "the Ibrahim Khalil gate.",
            "Fidan said Ankara also wanted Baghdad to act against the Kurdistan Workers' Party, which it accuses "
            "of using the mountains of Duhok province to launch attacks on Turkish soil.",
            "Hussein said Iraq would not allow its territory to be used to attack neighbours, but called on "
            "Turkey to halt air strikes that have killed civilians in the region.",
        ],
    },
    {
        "slug": "damascus-airport-strike",
        "title": "Syria says Israeli strike put Damascus airport out of service",
        "author": "Omar Khalil",
        "published": "2025-01-07T14:05:00Z",
        "paragraphs": [
            "DAMASCUS — Syria accused Israel on Tuesday of striking Damascus International Airport, putting "
            "its main runway out of service for the second time in a month.",
            "The Syrian transport ministry said flights would be diverted to Aleppo while engineers repaired "
            "the damage. No casualties were reported.",
            "The Israeli military declined to comment. Israel has carried out hundreds of strikes in Syria in "
            "recent years, saying it targets Iranian-backed groups and weapons shipments.",
            "The Syrian foreign ministry called on the United Nations Security Council to condemn the attack.",
        ],
    },
    {
        "slug": "gaza-aid-convoy-kerem-shalom",
        "title": "Aid convoy enters Gaza through Kerem Shalom after week-long halt",
        "author": "Lina Saleh",
        "published": "2025-01-08T10:15:00Z",
        "paragraphs": [
            "GAZA CITY — Forty lorries carrying flour and medical supplies entered the Gaza Strip through the "
            "Kerem Shalom crossing on Wednesday, the United Nations said, ending a halt of more than a week.",
            "The World Food Programme said the deliveries would feed about 60,000 people for two weeks in "
            "Rafah and Khan Younis.",
            "Aid agencies have accused Israel of restricting the entry of supplies. Israeli officials said "
            "the crossing had been closed after rockets were fired at it from Gaza.",
            "UNRWA warned that shortages of fuel would force bakeries in the south to close within days.",
        ],
    },
    {
        "slug": "houthi-red-sea-tanker",
        "title": "Houthis claim missile attack on tanker in the Red Sea",
        "author": "Ahmed Al-Sharif",
        "published": "2025-01-09T19:40:00Z",
        "paragraphs": [
            "SANAA — Yemen's Houthi movement said on Thursday it had fired two missiles at an oil tanker in "
            "the southern Red Sea, the latest in a series of attacks on shipping.",
            "A British maritime security agency said the vessel reported an explosion nearby but no damage, "
            "and continued to its next port of call.",
            "Houthi spokesman Yahya Saree said the group would keep targeting ships linked to Israel until "
            "the war in Gaza ends.",
            "The United States and Britain have struck Houthi positions in Yemen several times in response "
            "to the attacks.",
        ],
    },
    {
        "slug": "lebanon-president-election",
        "title": "Lebanese parliament elects army chief Joseph Aoun as president",
        "author": "Nadine Karam",
        "published": "2025-01-09T16:20:00Z",
        "paragraphs": [
            "BEIRUT — Lebanon's parliament elected army commander Joseph Aoun as president on Thursday, "
            "ending a vacancy of more than two years.",
            "Aoun won 99 votes in the second round. Hezbollah and its ally the Amal Movement backed him after "
            "the first round failed.",
            "In his inaugural speech Aoun promised that the state would hold a monopoly on arms, a remark "
            "widely seen as directed at Hezbollah.",
            "France and Saudi Arabia welcomed the election and pledged to support the reconstruction of "
            "southern Lebanon.",
        ],
    },
    {
        "slug": "mosul-isis-cell-arrests",
        "title": "Iraqi forces arrest Islamic State cell in Mosul",
        "author": "Sara Haddad",
        "published": "2025-01-11T09:00:00Z",
        "paragraphs": [
            "MOSUL — Iraqi counter-terrorism forces arrested five suspected members of an Islamic State cell "
            "in western Mosul on Saturday, the Joint Operations Command said.",
            "The command said the cell had planned attacks on markets in the city during the holidays and "
            "that explosives were seized in a house in the Old City.",
            "Islamic State was driven out of Mosul in 2017 but sleeper cells still carry out attacks in "
            "Nineveh and Kirkuk provinces.",
            "A security official said the arrests followed months of surveillance.",
        ],
    },
    {
        "slug": "jordan-syria-talks-amman",
        "title": "Jordan and Syria discuss border security and refugees in Amman",
        "author": "Rami Odeh",
        "published": "2025-01-12T12:45:00Z",
        "paragraphs": [
            "AMMAN — Jordan's foreign minister Ayman Safadi met a Syrian delegation in Amman on Sunday to "
            "discuss drug smuggling across their shared border and the return of refugees.",
            "Safadi said Jordan would help Syria rebuild its institutions but would not tolerate the "
            "smuggling of captagon, which Jordanian forces intercept almost weekly.",
            "Jordan hosts about 650,000 registered Syrian refugees. The two sides agreed to form a joint "
            "committee on border security.",
        ],
    },
    {
        "slug": "kirkuk-protest",
        "title": "Protesters in Kirkuk demand unpaid salaries",
        "author": "Hawre Aziz",
        "published": "2025-01-13T11:10:00Z",
        "paragraphs": [
            "KIRKUK — Hundreds of public employees protested outside the provincial council building in "
            "Kirkuk on Monday, demanding salaries that have not been paid for three months.",
            "Protesters blocked the main road to Erbil for two hours before police dispersed them without "
            "violence.",
            "The governor said the delay was caused by a dispute between Baghdad and the Kurdistan Regional "
            "Government over the federal budget.",
        ],
    },
    {
        "slug": "iran-iaea-inspectors",
        "title": "Iran agrees to let IAEA inspectors visit Fordow site",
        "author": "Parisa Rahimi",
        "published": "2025-01-14T07:55:00Z",
        "paragraphs": [
            "TEHRAN — Iran has agreed to allow inspectors of the International Atomic Energy Agency to visit "
            "the Fordow enrichment site, IAEA chief Rafael Grossi said on Tuesday.",
            "Grossi, speaking after meetings in Tehran, said the visit would take place within weeks. Iranian "
            "officials did not confirm the date.",
            "Western governments have accused Iran of enriching uranium close to weapons grade. Tehran says "
            "its programme is peaceful.",
        ],
    },
    {
        "slug": "west-bank-jenin-raid",
        "title": "Israeli raid in Jenin kills three Palestinians, health ministry says",
        "author": "Lina Saleh",
        "published": "2025-01-15T06:30:00Z",
        "paragraphs": [
            "JENIN — Israeli forces killed three Palestinians during a raid on the Jenin refugee camp in the "
            "occupied West Bank early on Wednesday, the Palestinian health ministry said.",
            "The Israeli military said its troops came under fire and shot at gunmen. It said an explosive "
            "device was found in the camp.",
            "The Palestinian Authority condemned the raid and called for international protection for "
            "civilians.",
        ],
    },
    {
        "slug": "erbil-drone-attack",
        "title": "Drone attack targets Erbil airport, no casualties",
        "author": "Hawre Aziz",
        "published": "2025-01-16T22:05:00Z",
        "paragraphs": [
            "ERBIL — An explosive-laden drone struck near Erbil international airport late on Thursday, the "
            "Kurdistan Region's counter-terrorism service said. No one was hurt.",
            "The airport hosts troops of the US-led coalition. No group claimed the attack, but Iran-backed "
            "militias have targeted the base before.",
            "Kurdistan Region Prime Minister Masrour Barzani condemned the attack and urged Baghdad to hold "
            "those responsible to account.",
        ],
    },
    {
        "slug": "saudi-iran-ministers-riyadh",
        "title": "Saudi and Iranian foreign ministers meet in Riyadh",
        "author": "Rami Odeh",
        "published": "2025-01-18T13:25:00Z",
        "paragraphs": [
            "RIYADH — Saudi Foreign Minister Prince Faisal bin Farhan received his Iranian counterpart Abbas "
            "Araghchi in Riyadh on Saturday, the Saudi foreign ministry said.",
            "The ministers discussed the situation in Lebanon and Syria and the implementation of the "
            "agreement that restored relations between the two countries in 2023.",
            "Araghchi said ties were moving in the right direction and invited Prince Faisal to visit "
            "Tehran.",
        ],
    },
    {
        "slug": "ceasefire-gaza-hostages",
        "title": "Gaza ceasefire takes effect as first hostages are released",
        "author": "Lina Saleh",
        "published": "2025-01-19T17:50:00Z",
        "paragraphs": [
            "GAZA CITY — A ceasefire between Israel and Hamas took effect on Sunday after a delay of nearly "
            "three hours, and Hamas handed three Israeli hostages to the Red Cross.",
            "Israel released 90 Palestinian prisoners from Ofer prison hours later under the agreement "
            "brokered by Qatar, Egypt and the United States.",
            "Thousands of displaced Palestinians began walking back towards their homes in northern Gaza.",
        ],
    },
    {
        "slug": "turkish-strikes-qandil",
        "title": "Turkish jets strike PKK positions in Qandil mountains",
        "author": "Sara Haddad",
        "published": "2025-01-21T09:35:00Z",
        "paragraphs": [
            "ANKARA — Turkish warplanes struck positions of the Kurdistan Workers' Party in the Qandil "
            "mountains of northern Iraq on Tuesday, the Turkish defence ministry said.",
            "The ministry said 12 militants were neutralised and shelters and ammunition depots destroyed.",
            "Iraq's foreign ministry summoned the Turkish ambassador in Baghdad to protest what it called a "
            "violation of Iraqi sovereignty.",
        ],
    },
    {
        "slug": "sdf-damascus-negotiations",
        "title": "Kurdish-led SDF opens talks with new authorities in Damascus",
        "author": "Omar Khalil",
        "published": "2025-01-23T15:00:00Z",
        "paragraphs": [
            "QAMISHLI — The Kurdish-led Syrian Democratic Forces said on Thursday they had begun talks with "
            "the new authorities in Damascus on the future of north-east Syria.",
            "SDF commander Mazloum Abdi said the group was ready to join a national army but wanted to keep "
            "its forces together as a bloc.",
            "Turkey, which considers the SDF an extension of the PKK, has threatened a military operation "
            "if the group does not disband.",
        ],
    },
    {
        "slug": "basra-oil-exports",
        "title": "Iraq raises oil exports from Basra terminals",
        "author": "Hawre Aziz",
        "published": "2025-01-25T10:40:00Z",
        "paragraphs": [
            "BASRA — Iraq raised crude exports from its southern terminals to 3.4 million barrels a day in "
            "January, the oil ministry said on Saturday.",
            "The ministry said the state oil marketer SOMO had signed new contracts with buyers in India and "
            "China.",
            "Exports through the Kirkuk-Ceyhan pipeline to Turkey remain halted after a dispute over "
            "payments to the Kurdistan Regional Government.",
        ],
    },
    {
        "slug": "hezbollah-south-lebanon-withdrawal",
        "title": "Israel says it will stay in south Lebanon beyond deadline",
        "author": "Nadine Karam",
        "published": "2025-01-26T18:15:00Z",
        "paragraphs": [
            "BEIRUT — Israel said on Sunday its troops would remain in parts of southern Lebanon beyond the "
            "deadline set by the ceasefire agreement with Hezbollah.",
            "The Lebanese army said Israeli soldiers opened fire on residents trying to return to border "
            "villages, killing 22 people.",
            "Lebanon's president Joseph Aoun said the sovereignty of Lebanon was not negotiable and called on "
            "the United States and France to press Israel to withdraw.",
        ],
    },
    {
        "slug": "egypt-qatar-mediation-cairo",
        "title": "Egyptian and Qatari mediators meet Hamas delegation in Cairo",
        "author": "Ahmed Al-Sharif",
        "published": "2025-02-03T12:00:00Z",
        "paragraphs": [
            "CAIRO — Egyptian and Qatari mediators met a Hamas delegation in Cairo on Monday to discuss the "
            "second phase of the Gaza ceasefire, Egyptian state media reported.",
            "The talks focused on the exchange of the remaining hostages and prisoners and on the "
            "reconstruction of Gaza.",
            "An Israeli delegation is expected in Doha later in the week.",
        ],
    },
    {
        "slug": "aleppo-electricity-deal",
        "title": "Syria signs deal with Turkey to supply electricity to Aleppo",
        "author": "Omar Khalil",
        "published": "2025-02-10T08:20:00Z",
        "paragraphs": [
            "ALEPPO — Syria's electricity ministry signed an agreement with Turkey on Monday to import power "
            "for the city of Aleppo, where residents receive only two hours of electricity a day.",
            "The ministry said a power line from the Turkish border would be repaired within three months.",
            "Turkey has pledged to help rebuild Syrian infrastructure damaged during the civil war.",
        ],
    },
    {
        "slug": "baghdad-pmu-law",
        "title": "Iraqi parliament debates law on Popular Mobilization Forces",
        "author": "Sara Haddad",
        "published": "2025-02-17T14:50:00Z",
        "paragraphs": [
            "BAGHDAD — Iraq's parliament began debating a law on Monday that would set the retirement age and "
            "command structure of the Popular Mobilization Forces.",
            "Prime Minister Mohammed Shia al-Sudani said the law would bring the paramilitary force fully "
            "under the authority of the state.",
            "The United States has urged Baghdad to rein in armed groups within the PMF that are aligned "
            "with Iran.",
        ],
    },
]

LAYOUTS = ("classic", "wire", "magazine")


def article_html(article: dict, index: int) -> str:
    """A whole news page: navigation, header, byline, the article, related links and a footer."""
    layout = LAYOUTS[index % len(LAYOUTS)]
    body = "\n".join(f"<p>{p}</p>" for p in article["paragraphs"])
    related = "\n".join(
        f'<li><a href="/news/{other["slug"]}.html">{other["title"]}</a></li>'
        for other in ARTICLES[index + 1 : index + 4]
    )
    head = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{article["title"]} | {OUTLET}</title>
<meta property="og:site_name" content="{OUTLET}">
<meta property="og:title" content="{article["title"]}">
<meta name="author" content="{article["author"]}">
<meta property="article:published_time" content="{article["published"]}">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || [];</script>
</head>"""
    nav = '<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/mideast">Middle East</a></nav>'
    footer = f"<footer><p>&copy; 2025 {OUTLET}. All rights reserved.</p><p>Subscribe to our newsletter.</p></footer>"
    if layout == "classic":
        main = f"""<article>
<h1>{article["title"]}</h1>
<p class="byline">By {article["author"]}</p>
{body}
</article>
<aside><h2>Related</h2><ul>{related}</ul></aside>"""
    elif layout == "wire":
        main = f"""<div id="content"><div class="story">
<h1 class="headline">{article["title"]}</h1>
<div class="meta"><span class="author">{article["author"]}</span></div>
<div class="story-body">
{body}
</div></div>
<div class="more"><h3>More from the region</h3><ul>{related}</ul></div></div>"""
    else:
        main = f"""<main><section class="lead"><h1>{article["title"]}</h1></section>
<section class="text" itemprop="articleBody">
{body}
</section>
<section class="share">Share on social media</section></main>"""
    return f"{head}\n<body>\n<header>{nav}</header>\n{main}\n{footer}\n</body>\n</html>\n"

"""The questionnaires every install starts with. Facilitators can change them in the CMS;
``load_questionnaires`` only adds the ones that are missing.

The attitudes-to-care scale and the two short forms were written for this programme. The
Rosenberg Self-Esteem Scale (Rosenberg, 1965) is used as published, with its scoring: 0 to 3
per item, items 2, 5, 6, 8 and 9 reverse-scored, 0 to 30 in all.
"""

AGREE_4 = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
AGREE_5 = ["Strongly disagree", "Disagree", "Not sure", "Agree", "Strongly agree"]

# (text, kind, reverse_scored, in_score)
QUESTIONNAIRES = [
    {
        "slug": "attitudes-to-care",
        "title": "Attitudes to care",
        "introduction": (
            "These sentences are about helping people who are old, ill or disabled. "
            "Say how much you agree with each one. There are no right or wrong answers."
        ),
        "audience": "trainee",
        "time_points": ["before", "end", "follow_up"],
        "choices": AGREE_5,
        "lowest_score": 1,
        "scale_name": "Attitudes to care score",
        "items": [
            (
                "Older people in prison should get the same care as people outside.",
                "rating",
                False,
                True,
            ),
            ("I feel at ease spending time with someone who is very ill.", "rating", False, True),
            ("Helping someone is a sign of weakness in prison.", "rating", True, True),
            ("I know when a job is for staff and not for me.", "rating", False, True),
            ("People with dementia are just being difficult.", "rating", True, True),
            ("I can keep what someone tells me private.", "rating", False, True),
            ("I would know what to do if someone I help has a fall.", "rating", False, True),
            ("It is not my business how other people feel.", "rating", True, True),
            ("I can say no when someone asks me to do too much.", "rating", False, True),
            ("Talking about death and dying makes me want to leave.", "rating", True, True),
        ],
    },
    {
        "slug": "rosenberg-self-esteem",
        "title": "Rosenberg Self-Esteem Scale",
        "introduction": (
            "Below is a list of statements dealing with your general feelings about yourself. "
            "Please say how strongly you agree or disagree with each statement."
        ),
        "audience": "trainee",
        "time_points": ["before", "end", "follow_up"],
        "choices": AGREE_4,
        "lowest_score": 0,
        "scale_name": "Self-esteem score",
        "items": [
            ("On the whole, I am satisfied with myself.", "rating", False, True),
            ("At times I think I am no good at all.", "rating", True, True),
            ("I feel that I have a number of good qualities.", "rating", False, True),
            ("I am able to do things as well as most other people.", "rating", False, True),
            ("I feel I do not have much to be proud of.", "rating", True, True),
            ("I certainly feel useless at times.", "rating", True, True),
            (
                "I feel that I'm a person of worth, at least on an equal plane with others.",
                "rating",
                False,
                True,
            ),
            ("I wish I could have more respect for myself.", "rating", True, True),
            ("All in all, I am inclined to feel that I am a failure.", "rating", True, True),
            ("I take a positive attitude toward myself.", "rating", False, True),
        ],
    },
    {
        "slug": "session-feedback",
        "title": "Session feedback",
        "introduction": "Tell us what you thought of today's session. It helps us make it better.",
        "audience": "trainee",
        "time_points": ["after_session"],
        "choices": ["Not at all", "A little", "Some", "Quite a lot", "A lot"],
        "lowest_score": 1,
        "scale_name": "",
        "items": [
            ("How useful was today's session?", "rating", False, False),
            ("Before the session, how sure were you about today's topic?", "rating", False, False),
            ("After the session, how sure are you about today's topic?", "rating", False, False),
            ("What would you change about this session?", "text", False, False),
        ],
    },
    {
        "slug": "support-received",
        "title": "The help you get from a buddy",
        "introduction": (
            "A buddy is a prisoner trained to help you with everyday things. "
            "Please tell us about the help you get. You do not have to give your name."
        ),
        "audience": "supported",
        "time_points": ["end", "follow_up"],
        "choices": ["No", "Sometimes", "Yes"],
        "lowest_score": 0,
        "scale_name": "",
        "items": [
            ("My buddy helps me with the things I need.", "rating", False, False),
            ("My buddy treats me with respect.", "rating", False, False),
            ("My buddy keeps what I say private.", "rating", False, False),
            ("I know who to ask if I need a member of staff.", "rating", False, False),
            ("What would make the help better?", "text", False, False),
        ],
    },
]

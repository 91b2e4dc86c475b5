"""Every exercise-science number the planner uses, named once, with its source.

Rule numbers (R1..R17) and grades refer to ``shared/reference/evidence.md``.
Grade C numbers are coaching conventions: tunable defaults, never presented as proven.
Guard rails are guard rails, not injury predictions.
"""

from __future__ import annotations

from types import MappingProxyType

# R1 (ACSM, Garber 2011; Phillips 2026; grade A): strengthen each group on at least 2 days a
# week, with at least 48 h before the same group is strengthened again.
STRENGTH_DAYS_PER_GROUP = 2
# Sessions a week needed before the 2-day minimum applies; below it each group once (product
# choice: 48 h recovery cannot fit two strength days into one or two sessions reliably).
SESSIONS_FOR_FULL_STRENGTH_DAYS = 3
# Groups the balance rules strengthen; `core` counts abdominals and obliques (evidence.md,
# "Balance").
STRENGTHENED_GROUPS = ("glutes", "hamstrings", "core", "lower_back")

# R7 (Ingram 2024, Sports Med; grade B): stretching gains level off near 4 min per muscle per
# session: no more than this many seconds a side of stretches for one primary muscle a session.
STRETCH_CEILING_S = 240
# Janda's order (evidence.md, grade B): restore length, then strengthen; so every session holds
# both stretching (or release) and strengthening.
# Session shape (R20: ACSM GETP 11e session structure, the article; evidence.md "Defaults
# built on them", grade C product choices). The warm-up: at most 1 release a session, 2 from
# 40 minutes.
WARM_UP_RELEASES = 1
WARM_UP_LONG_RELEASES = 2
WARM_UP_LONG_MINUTES = 40
# And at most 2 mobility drills, 3 from 40 minutes, in a session that strengthens (a session of
# 10 mobility drills is a mobility class, not a warm-up); lengthening-only days beyond
# MAX_STRENGTH_SESSIONS may be mobility days.
WARM_UP_MOBILITY = 2
WARM_UP_LONG_MOBILITY = 3
# Stretching what is tight: at most 4 stretches a session, at most 2 for one primary muscle
# (R20; R21: 60 s or less per muscle before strength work has trivial effects).
STRETCHES_PER_SESSION = 4
STRETCHES_PER_MUSCLE = 2
# Strengthening, the larger share past the first weeks (R20): in a session that strengthens, at
# least 30 % of its seconds, and at least 2 strength exercises from 20 minutes. The week's share
# is per level (LEVELS, strength_share_pct).
SESSION_STRENGTH_PCT = 30
SESSION_STRENGTH_EXERCISES = 2
SESSION_STRENGTH_MINUTES = 20
# ... and at most 8 strength exercises a session (NSCA Essentials: a session of 4-8 exercises;
# an advanced 60-minute Monday had 9 strength moves and 1 stretch). A cap of 6 left the
# imported catalogue's advanced programme without a first week within the default budget for
# 3 of 5 seeds (8: 5 of 5 found it) and tripled the shipped advanced week's time to its
# proven best.
SESSION_STRENGTH_MAX = 8
# ... and at most 2 strength exercises of one movement pattern (the catalogue's ``pattern``) in a
# session (R22, NSCA Essentials: a session spreads its work over patterns; product choice, grade
# C): an advanced Monday had a glute bridge, three hip thrusts and a hamstring bridge, a
# beginner Monday three bridges and three hinges.
STRENGTH_PER_PATTERN = 2
# R3 (ACSM 2009): strength training on at most 4-5 days a week even for advanced people; in a
# week of 6 or 7 sessions the rest are lengthening days (R6: daily stretching is best).
MAX_STRENGTH_SESSIONS = 5

# Balance (evidence.md "Sessions a coach would hand out"; the article: strengthen what is weak).
# The weak groups get weekly strength-set minimums and aims (LEVELS, weekly_sets; R18), counted
# fractionally (R19: 1 for the primary group, 0.5 for each other group trained).
WEAK_GROUPS = ("glutes", "core", "hamstrings")
# R18 "more is more, to a point": the point, for any one group, at this share of the level's
# weekly set aim (twice the aim: 12, 20, 24 sets for beginner, intermediate, advanced; product
# choice). Sets beyond it cost like sets short of the aim, so a long week spreads its strength
# work over more groups and more of the stretching of what is tight instead of piling it up.
SETS_CEILING_PCT = 200
# In fractional strength sets a week, each (more, less) pair has ``more`` no higher than
# ``less``: glutes at least hip flexors (defaults table), core at least hip flexors (glute +
# core work at least twice hip-flexor strengthening), lower-back extensor endurance no more
# than core (McGill).
BALANCE_PAIRS = (("hip_flexors", "glutes"), ("hip_flexors", "core"), ("lower_back", "core"))
# Core cannot crowd out the posterior chain: core strength sets at most this many times the
# glute sets (issue 16, product choice on the article's "strengthen the glutes").
CORE_PER_GLUTE = 2
# R22 (McGill; NSCA Essentials; grade C): every week holds a hinge or hamstring curl and a
# bridge or thrust, each tuple a set of alternatives (hard); the rounded programme's patterns
# (ROUNDED_PATTERNS) are a soft goal.
WEEKLY_PATTERNS = (("hinge", "hamstring_curl"), ("bridge_thrust",))
ROUNDED_PATTERNS = (
    "hinge",
    "squat_lunge",
    "bridge_thrust",
    "anti_extension",
    "anti_rotation",
    "anti_lateral_flexion",
    "back_extension",
)
# Compound glute and hamstring moves over isolation at intermediate and advanced (issue 16,
# product choice; NSCA Essentials: multi-joint first): isolation patterns cost a little.
ISOLATION_PATTERNS = ("hip_extension", "hip_abduction", "hamstring_curl")
COMPOUND_LEVELS = ("intermediate", "advanced")

# R6 (ACSM, Garber 2011; grade A): stretch holds 10-30 s; the source article asks 15-30 s.
STRETCH_HOLD_MIN_S = 15
STRETCH_HOLD_MAX_S = 30
# R6: at least 60 s in total per stretch, per side; 2-4 repetitions.
STRETCH_TOTAL_MIN_S = 60
STRETCH_SETS = (2, 4)
# Balance (evidence.md, product choice on R6): hip-flexor stretching in at least 3 sessions,
# every session when there are fewer.
HIP_FLEXOR_STRETCH_SESSIONS = 3
# Tight hip flexors need strengthening least (evidence.md, "Sessions a coach would hand out";
# issue 16, product choice): at most this many hip-flexor strength placements a week unless
# the person asks for hip-flexor work (allow_hip_flexor_dominant).
HIP_FLEXION_PER_WEEK = 1

# R5 (ACSM summaries; grade C): above about 60 min a session, drop-out rises.
SESSION_MINUTES_CAP = 60

# R8 (Foster 1998, 2001; grade A): load in AU = session RPE (CR-10) x minutes.
RPE_SCALE = (1, 10)

# Product choices (grade C) for how long a dose takes; tunable in the profile.
REP_SECONDS = 3  # one controlled repetition, about 1-1-1 tempo
TRANSITION_SECONDS = 20  # getting into position between exercises
# Rest after each set; a strength set's rest is the profile's strength_rest_s (LEVELS).
REST_SECONDS = MappingProxyType({"release": 0, "stretch": 10, "mobility": 10, "strength": 45})
# R20 (session shape): each session that strengthens keeps near the week's strength share, up
# to this many points above the level's least weekly share (35-60, 45-70, 50-75 %), so that
# every session keeps time for the warm-up and the stretching of what is tight (product choice).
SESSION_SHARE_BAND_PCT = 25
# "Not trivially short": a session fills at least this share of its minutes (product choice).
SESSION_FILL = 0.8
# Variety: no exercise on more than this many days a week (product choice; daily stretching is
# fine per R6, so a stretch may repeat, but a week of one move is dull).
MAX_DAYS_PER_EXERCISE = 3
# An exercise may appear on this many days a week before it costs variety (product choice:
# twice a week is practice; R6 puts stretching at 2-3 days a week at least).
FAMILIAR_DAYS = 2

# Within this share of the target weekly load there is no penalty (product choice; R4 allows
# +2-10 % steps, so 10 % either side is within one ordinary progression step).
LOAD_TOLERANCE_PCT = 10
# The heaviest session may carry this much more than the mean session load before it counts
# as uneven (product choice; keeps single-day spikes down, R9).
SPREAD_TOLERANCE_PCT = 30


# R10 (Buist 2008; Nielsen 2014; grade B/C): weekly load rises at most 10 % a week, a guard
# rail rather than an injury prediction; advanced may set up to 15 % (evidence.md, per level).
RAMP_CAP_PCT = 10
RAMP_CAP_MAX_PCT = 15
# R4 (ACSM 2009; NSCA "2-for-2"; grade A/B): a progression step is +2-10 %, so a build week
# rises at least 2 % until the target load is reached.
RAMP_MIN_PCT = 2
# R4 (ACSM 2009: progress repetitions within the range before load; grade A/B): a strength move
# kept from one build week to the next gets one more rep a set, to the top of the level's
# reps; a third identical build week in a row is not allowed (issue 16: weeks that never
# progress).
REP_STEP = 1
# The least ramp cap a profile may set: a cap equal to the least rise would leave a build week
# one exact load, which whole exercises and sets cannot hit (product choice).
RAMP_CAP_MIN_PCT = RAMP_MIN_PCT + 1
# R12 (Bell 2023; Rogerson 2023; grade B/C): an easier week every 4th week at about 60 % of the
# week before (50-60 %), same number of sessions; cadence 4-6 weeks.
DELOAD_EVERY = 4
DELOAD_EVERY_RANGE = (2, 8)
DELOAD_PCT = 60
DELOAD_PCT_RANGE = (40, 80)
DELOAD_TOLERANCE_PCT = 5  # a deload week lands within +-5 points of DELOAD_PCT
# Deload sessions keep their frequency but may be shorter: fewer sets (R12).
DELOAD_SESSION_FILL = 0.5
# A deload keeps the build week's exercises with 30-50 % fewer strength sets (R12: Bell 2023
# reduce volume; issue 16): between these shares of the build week's strength sets.
DELOAD_SETS_PCT = (50, 70)
# R11 (Gabbett 2016; Williams 2017; grade A as a guard rail): acute:chronic ratio caps
# (1.2 / 1.3 / 1.3 by level) and never 1.5 or more ("danger").
ACWR_DANGER = 1.5
ACWR_CAP_RANGE = (0.8, 1.49)
ACWR_WEEKS = 4  # chronic load = mean of the previous 4 weeks
# Once the target load is reached, build weeks hold within this share of it (product choice).
HOLD_TOLERANCE_PCT = 5
# R9 (Foster 1998; the 2.0 from secondary sources; grade A/C): monotony (mean / SD of the 7
# daily loads) at or under 2.0; and no session above 150 % of the week's mean session load
# (a spike cap; product choice).
MONOTONY_CAP = 2.0
# "Where the session count allows": with every day a session of at least SESSION_FILL of the
# minutes, the loads cannot vary enough for monotony 2.0, so a 7-session week is exempt.
MONOTONY_MAX_SESSIONS = 6
SPIKE_CAP_PCT = 150
# A new programme starts at this share of the target load and ramps up to it (product choice:
# people with tight hips are often returning from inactivity, so start below the target).
START_SHARE_PCT = 80
MAX_WEEKS = 52


def _level(**values):
    return MappingProxyType(values)


# Defaults per fitness level (evidence.md, "Defaults per fitness level"; R2, R3, R5, R8).
# sessions: R3 (novice 2-3, intermediate 3-4, advanced 4-5 days a week).
# minutes: the top of the level's range is the budget; sessions fill SESSION_FILL of it.
# strength_sets / reps: R2 (1-2 x 10-15, 2-3 x 8-12, 3-4 x 6-12).
# rpe_cap: the per-set effort cap (6, 7-8, 8-9): exercises harder than this are left out.
# session_rpe: the low end of the session-RPE target (3-5, 4-6, 5-7), used for the target load:
# load here is time-weighted exercise RPE, and stretching (RPE 2-3) fills a quarter of it.
# levels: catalogue levels a person of this level may be given.
# acwr_cap: R11's acute:chronic cap per level (1.2, 1.3, 1.3).
# strength_share_pct: R20, the week's strength seconds at least this share of its seconds (35,
# 45, 50 %; evidence.md "Defaults built on them", grade C product choice).
# weekly_sets: R18 (Schoenfeld 2017; ACSM 2009), [minimum, aim] strength sets a week for each
# weak group, fractional (R19): 4/6, 6/10, 8/12 (evidence.md "Defaults built on them").
# strength_rest_s: rest after a strength set, within ACSM 2009's ranges (the R18 source;
# Ratamess et al., MSSE 41:687): 30-60 s for light, endurance sets of 10-15 reps; 1-2 min at
# moderate loads; 2-3 min for heavier multi-joint sets. 45, 60 and 90 s by level (product
# choice): heavier sets take longer, so a long advanced session does not hold twice the
# glute sets a week that R18 aims at (issue 16).
LEVELS = MappingProxyType(
    {
        "beginner": _level(
            sessions=3,
            minutes=30,
            strength_sets=(1, 2),
            reps=(10, 15),
            rpe_cap=6,
            session_rpe=3,
            acwr_cap=1.2,
            strength_share_pct=35,
            weekly_sets=(4, 6),
            strength_rest_s=45,
            levels=("beginner",),
        ),
        "intermediate": _level(
            sessions=4,
            minutes=45,
            strength_sets=(2, 3),
            reps=(8, 12),
            rpe_cap=8,
            session_rpe=4,
            acwr_cap=1.3,
            strength_share_pct=45,
            weekly_sets=(6, 10),
            strength_rest_s=60,
            levels=("beginner", "intermediate"),
        ),
        "advanced": _level(
            sessions=5,
            minutes=60,
            strength_sets=(3, 4),
            reps=(6, 12),
            rpe_cap=9,
            session_rpe=5,
            acwr_cap=1.3,
            strength_share_pct=50,
            weekly_sets=(8, 12),
            strength_rest_s=90,
            levels=("beginner", "intermediate", "advanced"),
        ),
    }
)

# --- Adapting to the training log (planner.adaptation) --------------------------------------
# A week under about two thirds done (planned minutes) is repeated, not progressed (product
# choice, grade C: coaches repeat a week that was mostly missed rather than build on it).
ADHERENCE_MIN = 2 / 3
# R8 (Foster 2001 session RPE; grade A) and R12 (RPE 1-2 lower eases a week): a session logged
# this many CR-10 points above its planned effort holds the next week's load (product choice).
EFFORT_OVER_PLAN = 2
# R4 (NSCA "2-for-2"; ACSM 2009; grade A/B): a move earns more sets, then its harder variant,
# after this many sessions in a row done at or under its planned effort.
EARNED_SESSIONS = 2
# The pain-monitoring model (Silbernagel 2007, Am J Sports Med 35:897; Thomee 1997; grade A):
# pain up to 5/10 during the exercise is acceptable if it has settled by the next morning;
# 0-2 is the "safe" zone (Thomee 1997), so a next-morning pain of 2 or less counts as settled.
PAIN_ACCEPTABLE = 5
PAIN_SETTLED = 2
# Pain this high (during or the next morning) stops planning: see a professional (product
# choice on the same model: well past its 5/10 ceiling).
PAIN_STOP = 7
# A move that hurt past the model's limits, with no easier variant, rests this long (issue 17).
PAIN_REST_DAYS = 14

# How hard an effort feels, in words, on the CR-10 scale used for session RPE (R8; Foster 2001,
# the modified Borg CR-10 descriptors; grade A), with the talk test for the middle of the scale
# (Persinger 2004; grade B): what a person reads beside each exercise's target.
EFFORT_WORDS = MappingProxyType(
    {
        0: "rest",
        1: "very easy",
        2: "easy",
        3: "moderate: you could talk in full sentences",
        4: "somewhat hard: you could talk in short sentences",
        5: "hard: a few words at a time",
        6: "hard: a few words at a time",
        7: "very hard: hard to speak",
        8: "very hard: hard to speak",
        9: "very, very hard",
        10: "as hard as you can",
    }
)
# Reps in reserve (Zourdos 2016, J Strength Cond Res 30:267; grade B): on the RIR-based RPE
# scale a strength set at RPE r stops with about 10 - r repetitions left in you.
RIR_AT_RPE_10 = 10
# R6 (ACSM: stretch "to the point of tension or slight discomfort", never pain; grade A): how
# far to take a stretch or a release, as a pull on the 0-10 scale (product choice on R6).
STRETCH_PULL = (3, 4)

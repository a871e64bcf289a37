"""Episode planning: where to cut a master into episodes, the plan file, and its exports.

- :mod:`~vidpack.plan.model`: options, the master reference, episodes, the plan.
- :mod:`~vidpack.plan.optimize`: ``plan_episodes(analysis, options)``, the global optimisation
  (candidates and their costs in :mod:`~vidpack.plan.candidates`, warnings in
  :mod:`~vidpack.plan.explain`; dialogue, i.e. speech and subtitle cues, margins and the
  no-audio note in :mod:`~vidpack.plan.dialogue`).
- :mod:`~vidpack.plan.planfile`: plan JSON I/O and validation against a master.
- :mod:`~vidpack.plan.exports` (OTIO, CMX 3600 EDL) and :mod:`~vidpack.plan.png` (timeline picture).
- :mod:`~vidpack.plan.run`: probe, analyse, plan and write, as the commands use it.
"""

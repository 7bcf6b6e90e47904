"""Form exports (Microsoft Forms, Google Forms, LimeSurvey) before they go in the inbox: the
dry run of a file (`check`) and the `[inbox]` sections guessed from an export (`suggest`)."""

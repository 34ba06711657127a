"""What the data means: required activities, compliance, figures and Chinese conventions."""

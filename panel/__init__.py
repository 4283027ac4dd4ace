"""The CSPR Panel: meetings, attendance and deputies, quoracy, decisions, conflicts of interest,
the action log and highlight reports to the Executive."""

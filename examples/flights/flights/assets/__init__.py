"""The assets of the flights project, one module per group: raw -> core -> analytics -> report."""

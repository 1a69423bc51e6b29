"""The shell: the layout every page shares, the start page, language and municipality choice."""

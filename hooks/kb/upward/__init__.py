"""What a guidance group sends upward (issue 17): 共性问题, 典型做法 and a drafted summary."""

"""Comment classification: implements pulse.ports.CommentClassifier."""

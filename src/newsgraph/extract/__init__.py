"""Language processing: one spaCy pipeline with our components, producing plain data."""

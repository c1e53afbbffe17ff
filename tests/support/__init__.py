"""Helpers the tests share: sample results, fake forges, MLflow servers and logging."""

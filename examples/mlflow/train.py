"""Train a small digits classifier over several seeds and log each run to MLflow.

    python examples/mlflow/train.py --branch main             # the baseline: 5 seeds
    python examples/mlflow/train.py --branch pr               # the same model: the gate passes
    python examples/mlflow/train.py --branch pr --alpha 0.03  # 300x the regularization: it fails

Runs go to $MLFLOW_TRACKING_URI (a tracking server such as http://127.0.0.1:5000),
else to a SQLite store beside this script (examples/mlflow/mlflow.db). Each run
logs the params seed and alpha, the tag branch, the metrics accuracy and
f1_macro on a held-out split, and val_accuracy after every epoch (a history:
see `aggregate` in gate.yml). Needs mlflow and scikit-learn
(`pip install -e '.[test]'` installs both).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import mlflow
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

HERE = Path(__file__).resolve().parent
EPOCHS = 10


def train(seed: int, alpha: float, branch: str) -> None:
    features, labels = load_digits(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        features / 16, labels, test_size=0.3, random_state=seed
    )
    model = SGDClassifier(loss="log_loss", alpha=alpha, random_state=seed)
    with mlflow.start_run(run_name=f"{branch}-seed-{seed}", tags={"branch": branch}):
        mlflow.log_params({"seed": seed, "alpha": alpha, "dataset": "digits"})
        for epoch in range(EPOCHS):
            model.partial_fit(x_train, y_train, classes=np.arange(10))
            accuracy = accuracy_score(y_test, model.predict(x_test))
            mlflow.log_metric("val_accuracy", float(accuracy), step=epoch)
        predicted = model.predict(x_test)
        mlflow.log_metrics(
            {
                "accuracy": float(accuracy_score(y_test, predicted)),
                "f1_macro": float(f1_score(y_test, predicted, average="macro")),
            }
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branch", required=True, help="the tags.branch of the runs")
    parser.add_argument("--seeds", type=int, default=5, help="how many seeds (runs)")
    parser.add_argument("--alpha", type=float, default=1e-4, help="the L2 regularization")
    parser.add_argument("--experiment", default="digits")
    parser.add_argument(
        "--tracking-uri",
        default=os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{HERE / 'mlflow.db'}",
    )
    args = parser.parse_args()
    mlflow.set_tracking_uri(args.tracking_uri)
    mlflow.set_experiment(args.experiment)
    for seed in range(args.seeds):
        train(seed, args.alpha, args.branch)
    print(f"logged {args.seeds} runs on branch {args.branch!r} to {args.tracking_uri}")


if __name__ == "__main__":
    main()

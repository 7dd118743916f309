"""Independent numpy reference for shared/probe: the same standardisation and L2, solved by Newton's method.

stdin: {"train": {"X": [[...]], "y": [...]}, "val": {...}, "test": {...}, "classes": C, "grid": [l2...]}
stdout: {"grid": [{"l2", "valAccuracy", "valLogLoss"}], "l2", "trainLogLoss", "testAccuracy", "testLogLoss",
         "objective", "weightsClassSum"}
Objective: mean cross-entropy of softmax(W z + b) + (l2/2)·||W||², z = (x − mean_train)/std_train (ddof 0).
Selection: best validation accuracy, then lower validation log loss, then larger l2.
"""
import json
import sys

import numpy as np


def standardise(X, mean, std):
    return (X - mean) / std


def probs(theta, Z, C):
    D = Z.shape[1]
    W = theta[: C * D].reshape(C, D)
    b = theta[C * D:]
    logits = Z @ W.T + b
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def objective(theta, Z, y, C, l2):
    n, D = Z.shape
    P = probs(theta, Z, C)
    Y = np.eye(C)[y]
    W = theta[: C * D]
    f = -np.mean(np.log(P[np.arange(n), y])) + 0.5 * l2 * W @ W
    R = (P - Y) / n
    gW = R.T @ Z + l2 * W.reshape(C, D)
    gb = R.sum(axis=0)
    g = np.concatenate([gW.ravel(), gb])
    Z1 = np.hstack([Z, np.ones((n, 1))])
    H = np.zeros((C * (D + 1), C * (D + 1)))
    for i in range(n):
        p = P[i]
        S = np.diag(p) - np.outer(p, p)
        H += np.kron(S, np.outer(Z1[i], Z1[i])) / n
    # reorder from [class][feature+bias] blocks to [W row-major, b] layout
    order = [c * (D + 1) + j for c in range(C) for j in range(D)] + [c * (D + 1) + D for c in range(C)]
    H = H[np.ix_(order, order)]
    H[: C * D, : C * D] += l2 * np.eye(C * D)
    return f, g, H


def fit(Z, y, C, l2):
    theta = np.zeros(C * (Z.shape[1] + 1))
    for _ in range(200):
        f, g, H = objective(theta, Z, y, C, l2)
        if np.max(np.abs(g)) < 1e-13:
            break
        step = -np.linalg.pinv(H) @ g  # the bias-sum direction has zero curvature; pinv leaves it alone
        t = 1.0
        while objective(theta + t * step, Z, y, C, l2)[0] > f + 1e-4 * t * (g @ step) and t > 1e-10:
            t *= 0.5
        theta = theta + t * step
    return theta


def evaluate(theta, Z, y, C):
    P = probs(theta, Z, C)
    pred = P.argmax(axis=1)
    return float(np.mean(pred == y)), float(-np.mean(np.log(P[np.arange(len(y)), y])))


def main():
    cfg = json.load(sys.stdin)
    C = cfg["classes"]
    Xtr = np.asarray(cfg["train"]["X"], dtype=np.float64)
    mean = Xtr.mean(axis=0)
    std = Xtr.std(axis=0)
    std[std == 0] = 1.0
    data = {}
    for split in ("train", "val", "test"):
        data[split] = (standardise(np.asarray(cfg[split]["X"], dtype=np.float64), mean, std), np.asarray(cfg[split]["y"], dtype=int))
    best = None
    grid = []
    for l2 in cfg["grid"]:
        theta = fit(*data["train"], C, l2)
        acc, loss = evaluate(theta, *data["val"], C)
        grid.append({"l2": l2, "valAccuracy": acc, "valLogLoss": loss})
        key = (acc, -loss, l2)
        if best is None or key > best[0]:
            best = (key, l2, theta)
    _, l2, theta = best
    D = data["train"][0].shape[1]
    test_acc, test_loss = evaluate(theta, *data["test"], C)
    out = {
        "grid": grid,
        "l2": l2,
        "trainLogLoss": evaluate(theta, *data["train"], C)[1],
        "testAccuracy": test_acc,
        "testLogLoss": test_loss,
        "objective": float(objective(theta, *data["train"], C, l2)[0]),
        "weightsClassSum": float(np.max(np.abs(theta[: C * D].reshape(C, D).sum(axis=0)))),
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

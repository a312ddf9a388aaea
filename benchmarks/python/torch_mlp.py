"""PyTorch side of benchmarks/run trainer.TrainerBenchmark and trainer.FashionBenchmark.

Reads commands from stdin, one per line, and answers each with one line:
  threads N              sets torch's intra-op threads; answers torch.get_num_threads()
  mlp HIDDEN BATCH STEPS trains a fresh MLP 784-HIDDEN-10 with Adam on random data for STEPS steps
                         (forward, cross-entropy, zero_grad, backward, step, loss.item());
                         answers the steps per second
  cnn DIR BATCH STEPS    the same for trainsight's cnn example (conv8-conv16-32-10) on the
                         Fashion-MNIST training set in DIR (IDX files, read once into memory),
                         batches of shuffled samples; answers the steps per second
The JVM drives it so that Java and Python blocks alternate inside one benchmark run.
"""
import gzip
import os
import sys
import time

import torch

WARM_UP = 5
_fashion = {}


def mlp(hidden, batch, steps):
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))
    batches = 50
    x = torch.randn(batches * batch, 784)
    y = torch.randint(0, 10, (batches * batch,))
    return train(model, lambda i: (i % batches) * batch, x, y, batch, steps)


def cnn(folder, batch, steps):
    torch.manual_seed(0)
    x, y = fashion(folder)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(16 * 7 * 7, 32), torch.nn.ReLU(),
        torch.nn.Linear(32, 10))
    order = torch.randperm(x.shape[0])
    x, y = x[order], y[order]
    n = x.shape[0] // batch
    return train(model, lambda i: (i % n) * batch, x, y, batch, steps)


def fashion(folder):
    if folder not in _fashion:
        def idx(name):
            path = os.path.join(folder, name)
            with (gzip.open(path) if name.endswith(".gz") else open(path, "rb")) as f:
                data = f.read()
            dims = data[3]
            shape = [int.from_bytes(data[4 + 4 * d:8 + 4 * d], "big") for d in range(dims)]
            return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)
        images = idx(pick(folder, "train-images"))
        labels = idx(pick(folder, "train-labels"))
        _fashion[folder] = (images.float().div(255).unsqueeze(1), labels.long())
    return _fashion[folder]


def pick(folder, prefix):
    return next(n for n in sorted(os.listdir(folder)) if n.startswith(prefix))


def train(model, offset, x, y, batch, steps):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    for i in range(WARM_UP):  # like the JVM side
        j = offset(i)
        step(model, optimizer, loss_fn, x[j:j + batch], y[j:j + batch])
    start = time.perf_counter()
    for i in range(steps):
        j = offset(WARM_UP + i)
        step(model, optimizer, loss_fn, x[j:j + batch], y[j:j + batch])
    return steps / (time.perf_counter() - start)


def step(model, optimizer, loss_fn, x, y):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def main():
    print("ready torch", torch.__version__, flush=True)
    for line in sys.stdin:
        words = line.split()
        if words[0] == "threads":
            torch.set_num_threads(int(words[1]))
            answer = torch.get_num_threads()
        elif words[0] == "mlp":
            answer = f"{mlp(*(int(v) for v in words[1:])):.3f}"
        elif words[0] == "cnn":
            answer = f"{cnn(words[1], int(words[2]), int(words[3])):.3f}"
        else:
            answer = "unknown command " + line.strip()
        print(answer, flush=True)


if __name__ == "__main__":
    main()

"""PyTorch side of benchmarks/run trainer.TrainerBenchmark and trainer.FashionBenchmark.

Reads commands from stdin, one per line, and answers each with one line:
  threads N              sets torch's intra-op threads, and OpenBLAS's (Debian's torch computes
                         matrix products with OpenBLAS, whose own pool torch.set_num_threads
                         leaves at one thread per core); answers torch.get_num_threads() and
                         OpenBLAS's count
  mlp HIDDEN BATCH STEPS trains a fresh MLP 784-HIDDEN-10 with Adam on random data for STEPS steps
                         (forward, cross-entropy, zero_grad, backward, step, loss.item());
                         answers the steps per second
  cnn DIR BATCH STEPS [channels_last]
                         the same for trainsight's cnn example (conv8-conv16-32-10) on the
                         Fashion-MNIST training set in DIR (IDX files, read once into memory),
                         batches of shuffled samples; answers the steps per second. With
                         channels_last, the model and each batch are made torch.channels_last, as
                         PyTorch's performance guide advises for convolutions
  matmul M K N           times a float (M x K) @ (K x N) product for 0.4 s after 3 warm-up
                         products; answers GFLOP/s
The JVM drives it so that Java and Python blocks alternate inside one benchmark run.
"""
import ctypes
import gzip
import os
import sys
import time

import torch

WARM_UP = 5
_fashion = {}


def openblas():
    """The OpenBLAS library torch loaded, or None."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            if "openblas" in line:
                return ctypes.CDLL(line.split()[-1])
    return None


def set_threads(n):
    torch.set_num_threads(n)
    blas = openblas()
    if blas is None:
        return f"{torch.get_num_threads()} (no OpenBLAS)"
    blas.openblas_set_num_threads(n)
    return f"{torch.get_num_threads()} (OpenBLAS {blas.openblas_get_num_threads()})"


def mlp(hidden, batch, steps):
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))
    batches = 50
    x = torch.randn(batches * batch, 784)
    y = torch.randint(0, 10, (batches * batch,))
    return train(model, lambda i: (i % batches) * batch, x, y, batch, steps)


def cnn(folder, batch, steps, channels_last=False):
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
    layout = None
    if channels_last:  # the recipe of PyTorch's performance guide: the model and its inputs
        model = model.to(memory_format=torch.channels_last)
        layout = lambda b: b.contiguous(memory_format=torch.channels_last)
    return train(model, lambda i: (i % n) * batch, x, y, batch, steps, layout)


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


def train(model, offset, x, y, batch, steps, layout=None):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def inputs(j):
        return x[j:j + batch] if layout is None else layout(x[j:j + batch])

    for i in range(WARM_UP):  # like the JVM side
        j = offset(i)
        step(model, optimizer, loss_fn, inputs(j), y[j:j + batch])
    start = time.perf_counter()
    for i in range(steps):
        j = offset(WARM_UP + i)
        step(model, optimizer, loss_fn, inputs(j), y[j:j + batch])
    return steps / (time.perf_counter() - start)


def step(model, optimizer, loss_fn, x, y):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def matmul(m, k, n):
    a = torch.randn(m, k)
    b = torch.randn(k, n)
    for _ in range(3):
        a @ b
    reps = 0
    start = time.perf_counter()
    while True:
        a @ b
        reps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= 0.4 and reps >= 3:
            return 2.0 * m * k * n * reps / elapsed / 1e9


def main():
    print("ready torch", torch.__version__, flush=True)
    for line in sys.stdin:
        words = line.split()
        if words[0] == "threads":
            answer = set_threads(int(words[1]))
        elif words[0] == "mlp":
            answer = f"{mlp(*(int(v) for v in words[1:])):.3f}"
        elif words[0] == "matmul":
            answer = f"{matmul(*(int(v) for v in words[1:])):.3f}"
        elif words[0] == "cnn":
            last = len(words) > 4 and words[4] == "channels_last"
            answer = f"{cnn(words[1], int(words[2]), int(words[3]), last):.3f}"
        else:
            answer = "unknown command " + line.strip()
        print(answer, flush=True)


if __name__ == "__main__":
    main()

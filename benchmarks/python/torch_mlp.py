"""PyTorch side of benchmarks/run trainer.TrainerBenchmark.

Reads commands from stdin, one per line: "HIDDEN BATCH STEPS". For each, trains a fresh MLP
784-HIDDEN-10 with Adam on random data for STEPS steps (forward, cross-entropy, zero_grad,
backward, step, loss.item()) and prints the steps per second. The JVM drives it so that Java and
Python blocks alternate inside one benchmark run.
"""
import sys
import time

import torch


def run(hidden, batch, steps):
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    batches = 50
    x = torch.randn(batches * batch, 784)
    y = torch.randint(0, 10, (batches * batch,))
    for i in range(5):  # warm-up, like the JVM side
        step(model, optimizer, loss_fn, x[:batch], y[:batch])
    start = time.perf_counter()
    for i in range(steps):
        j = (i % batches) * batch
        step(model, optimizer, loss_fn, x[j:j + batch], y[j:j + batch])
    return steps / (time.perf_counter() - start)


def step(model, optimizer, loss_fn, x, y):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def main():
    print("ready torch", torch.__version__, "threads", torch.get_num_threads(), flush=True)
    for line in sys.stdin:
        hidden, batch, steps = (int(v) for v in line.split())
        print(f"{run(hidden, batch, steps):.3f}", flush=True)


if __name__ == "__main__":
    main()

# Writes cpythonSetTrace.json: what CPython's set does with the OVS agent's
# available_local_vlans under churn, for localVlans.test.ts. Run with the
# Python of a Neutron 2026.1 host (3.10 to 3.13 print the same):
#   python3 test/unit/localVlans/cpythonSetTrace.py
# Each trace is a list of steps: v > 0 is "set.pop() returned v", -v is
# "set.add(v)". `resizedAt` is the step after which the table grew.
import json, os, random, sys

def churn(seed, steps):
    rnd = random.Random(seed)
    s, held, out = set(range(1, 4095)), [], []
    for _ in range(steps):
        if held and rnd.random() < 0.47:
            v = held.pop(rnd.randrange(len(held))); s.add(v); out.append(-v)
        else:
            v = s.pop(); held.append(v); out.append(v)
    return {"name": f"churn, seed {seed}", "steps": out, "resizedAt": None}

def until_resize(seed):
    # Pops many, gives them back in random order, again: freed ids fill
    # never-used slots until the table grows.
    rnd = random.Random(seed)
    s, held, out = set(range(1, 4095)), [], []
    size = sys.getsizeof(s)
    while True:
        for _ in range(rnd.randrange(1, 3000)):
            v = s.pop(); held.append(v); out.append(v)
        rnd.shuffle(held)
        while held:
            v = held.pop(); s.add(v); out.append(-v)
            if sys.getsizeof(s) != size:
                at = len(out)
                for _ in range(200):
                    v = s.pop(); held.append(v); out.append(v)
                return {"name": f"until the table grows, seed {seed}", "steps": out, "resizedAt": at}

traces = [churn(1, 3000), until_resize(2)]
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "cpythonSetTrace.json"), "w") as f:
    json.dump({"traces": traces}, f)

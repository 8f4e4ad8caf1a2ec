"""Writes the checkpoint fixtures of package checkpoint.

Run with Debian 12's python3-torch (1.13) and python3-numpy (1.24):
    /usr/bin/python3 make_fixtures.py
The safetensors Python package is not in Debian 12, so write_safetensors
below writes the published format itself: an 8-byte little-endian header
length, a JSON header (dtype, shape, data_offsets per tensor, padded with
spaces to a multiple of 8) and the raw little-endian bytes.
"""
import json
import struct

import numpy as np
import torch


def write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        dtype = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16",
                 torch.bfloat16: "BF16", torch.int64: "I64"}[t.dtype]
        if t.dtype == torch.bfloat16:
            raw = t.view(torch.int16).numpy().tobytes()
        else:
            raw = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


class CNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU(),
            torch.nn.Conv2d(4, 8, 3), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(2))
        self.classifier = torch.nn.Linear(32, 10)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def save_all(stem, sd):
    torch.save(sd, stem + ".pt")
    np.savez(stem + ".npz", **{k: v.numpy() for k, v in sd.items()})
    write_safetensors(stem + ".safetensors", sd)


torch.manual_seed(0)
model = CNN()
save_all("cnn_before", {k: v.clone() for k, v in model.state_dict().items()})
# Fine-tune: 30 steps of SGD on random images and labels.
opt = torch.optim.SGD(model.parameters(), lr=0.05)
x, y = torch.randn(64, 1, 8, 8), torch.randint(0, 10, (64,))
for _ in range(30):
    opt.zero_grad()
    torch.nn.functional.cross_entropy(model(x), y).backward()
    opt.step()
save_all("cnn_after", {k: v.clone() for k, v in model.state_dict().items()})

# Dtypes: the same values in every floating-point type, a transposed view
# (non-contiguous), a view at a storage offset, an integer tensor.
vals = torch.tensor([0.0, 1.0, -2.5, 0.1, 1e-3, 3.0e4, -6.1e-5, 5.96e-8], dtype=torch.float64)
base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 7
dt = {
    "f64": vals.clone(), "f32": vals.float(), "f16": vals.half(), "bf16": vals.bfloat16(),
    "ints": torch.arange(5),
}
torch.save({**dt, "transposed": base.t(), "offset_view": base.view(-1)[5:9]}, "dtypes.pt")
write_safetensors("dtypes.safetensors", {**dt, "transposed": base.t(), "offset_view": base.view(-1)[5:9]})
np.savez("dtypes.npz", f64=vals.numpy(), f32=vals.float().numpy(), f16=vals.half().numpy(),
         ints=np.arange(5), transposed=np.asfortranarray(base.t().numpy()),
         offset_view=base.view(-1)[5:9].numpy(), big_endian=vals.float().numpy().astype(">f4"))
np.save("f32.npy", vals.float().numpy())
# Exact float64 values of each converted tensor, for the tests.
with open("dtypes_expected.json", "w") as f:
    json.dump({"f64": vals.tolist(), "f32": vals.float().double().tolist(),
               "f16": vals.half().double().tolist(), "bf16": vals.bfloat16().double().tolist(),
               "transposed": base.t().double().flatten().tolist(),
               "offset_view": base.view(-1)[5:9].double().tolist()}, f, indent=1)

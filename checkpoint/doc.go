// Package checkpoint reads the weights of neural-network checkpoints tensor
// by tensor with bounded memory, and pairs the tensors of two checkpoints
// (before and after training) for the paired geometry test.
//
// Formats, detected by their magic bytes (and the extension for .npy):
//
//   - safetensors, and sharded Hugging Face checkpoints through their
//     model.safetensors.index.json (or the directory holding it);
//   - PyTorch's torch.save zip archives (.pt, .pth, .bin): the pickle
//     data.pkl is interpreted, never executed — only the opcodes and the
//     Python globals that rebuild tensors, storages and (ordered)
//     dictionaries are accepted — and each storage is read in place;
//   - NumPy .npy and .npz (stored or deflated).
//
// Float64, float32, float16 and bfloat16 values convert exactly to
// float64. Integer, boolean, complex and quantized tensors are listed with
// their dtype but cannot be read.
//
// Reading a file first checks its headers against its size: a tensor whose
// bytes lie beyond the file, a shape whose product overflows, a pickle
// with an unknown opcode or global, or a compressed member that inflates to
// more than it declares is an *Error (bad input) before any large
// allocation. Values are read in batches (Iterator), so memory is bounded
// by the batch whatever the size of the model.
//
// PairTensors pairs the tensors of two checkpoints by name (Plan): every
// readable tensor of two or more dimensions, the others listed as Skip with
// the reason, or the tensors whose names match a pattern. Stats compares
// each tensor's change with the rounding step of its stored dtype. Source
// feeds the pairs to the two-pass test of package stream, one group per
// tensor, layer kind or block (GroupBy, LayerKind, Block). CreateSafetensors
// writes safetensors files in batches, for the benchmark harness and tests.
package checkpoint

package checkpoint

import (
	"fmt"
	"regexp"
	"strings"
)

// GroupBy says how the tensors of a checkpoint pair form the groups of the
// test: one group per tensor, per layer kind or per block.
type GroupBy string

// The ways of grouping tensors.
const (
	GroupByTensor GroupBy = "tensor"
	GroupByKind   GroupBy = "kind"
	GroupByBlock  GroupBy = "block"
)

// ParseGroupBy reads a --group-by value; "" is GroupByTensor.
func ParseGroupBy(s string) (GroupBy, error) {
	switch g := GroupBy(s); g {
	case "":
		return GroupByTensor, nil
	case GroupByTensor, GroupByKind, GroupByBlock:
		return g, nil
	}
	return "", &Error{Msg: fmt.Sprintf("%q is not a way of grouping tensors (tensor, kind or block)", s)}
}

// Group is the name of the group of a tensor.
func (g GroupBy) Group(name string, shape []int64) string {
	switch g {
	case GroupByKind:
		return LayerKind(name, shape)
	case GroupByBlock:
		return Block(name)
	}
	return name
}

// The layer kinds LayerKind returns.
const (
	KindAttnQ     = "attention.q"
	KindAttnK     = "attention.k"
	KindAttnV     = "attention.v"
	KindAttnO     = "attention.o"
	KindAttnQKV   = "attention.qkv" // fused projections (GPT-2's c_attn)
	KindAttention = "attention"     // other attention tensors
	KindMLP       = "mlp"
	KindEmbedding = "embedding"
	KindNorm      = "norm"
	KindBias      = "bias"
	KindConv      = "conv"
	KindOther     = "other"
)

// Name parts (dot-separated components, lower case) that mark a layer
// kind. Exact names only, so that "key" does not match "keyframe".
var (
	attnQ   = set("q", "q_proj", "query", "wq", "q_lin", "to_q")
	attnK   = set("k", "k_proj", "key", "wk", "k_lin", "to_k")
	attnV   = set("v", "v_proj", "value", "wv", "v_lin", "to_v")
	attnO   = set("o", "o_proj", "out_proj", "wo", "c_proj", "out_lin", "to_out", "dense", "output", "proj")
	attnQKV = set("c_attn", "qkv", "qkv_proj", "query_key_value", "wqkv", "in_proj_weight", "in_proj")
	// Unambiguous outside an attention context too.
	attnAlone = set("q_proj", "k_proj", "v_proj", "o_proj", "out_proj", "c_attn", "qkv_proj", "query_key_value", "in_proj_weight")
	mlp       = set("mlp", "ffn", "feed_forward", "feedforward", "densereludense", "fc1", "fc2", "up_proj", "down_proj", "gate_proj",
		"c_fc", "dense_h_to_4h", "dense_4h_to_h", "intermediate", "w1", "w2", "w3", "wi", "wi_0", "wi_1", "gate_up_proj")
	embed = set("wte", "wpe", "tok_embeddings", "embeddings", "embedding", "embed_tokens", "embed_positions", "word_embeddings",
		"position_embeddings", "token_type_embeddings", "shared")
)

func set(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, x := range s {
		m[x] = true
	}
	return m
}

// bnPart is a BatchNorm module (bn, bn1, bn_2) in CNNs.
var bnPart = regexp.MustCompile(`^bn_?\d*$`)

// LayerKind classifies a tensor by its name, in the common naming schemes
// of PyTorch and Hugging Face models (GPT-2, Llama, BERT, T5,
// torchvision CNNs), and by its shape: kernels of three or more
// dimensions are convolutions. The first rule that applies wins: bias
// (the name ends in ".bias" or "_bias"), norm, embedding, conv, attention (q, k, v,
// o, fused qkv, other), mlp, other. Norms come before attention and mlp
// because their modules often sit inside those (BERT's
// attention.output.LayerNorm).
func LayerKind(name string, shape []int64) string {
	parts := strings.Split(strings.ToLower(name), ".")
	last := parts[len(parts)-1]
	if last == "bias" || strings.HasSuffix(last, "_bias") {
		return KindBias
	}
	for _, p := range parts {
		if strings.Contains(p, "norm") || strings.HasPrefix(p, "ln_") || p == "ln" || bnPart.MatchString(p) ||
			p == "running_mean" || p == "running_var" {
			return KindNorm
		}
	}
	inAttn, inMLP := false, false
	for _, p := range parts {
		switch {
		case embed[p] || strings.Contains(p, "embed"):
			return KindEmbedding
		case strings.Contains(p, "attn") || strings.Contains(p, "attention"):
			inAttn = true
		case mlp[p]:
			inMLP = true
		}
	}
	if len(shape) >= 3 {
		return KindConv
	}
	// The module names after the context decide: in GPT-2 both
	// attn.c_proj and mlp.c_proj exist.
	for _, p := range parts {
		if !inAttn && !attnAlone[p] {
			continue
		}
		switch {
		case attnQKV[p]:
			return KindAttnQKV
		case attnQ[p]:
			return KindAttnQ
		case attnK[p]:
			return KindAttnK
		case attnV[p]:
			return KindAttnV
		case attnO[p] && !inMLP:
			return KindAttnO
		}
	}
	switch {
	case inMLP:
		return KindMLP
	case inAttn:
		return KindAttention
	}
	// BERT's feed-forward output: layer.N.output.dense (outside attention).
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == "output" && parts[i+1] == "dense" {
			return KindMLP
		}
	}
	return KindOther
}

// NoBlock is the group of the tensors whose names hold no block index.
const NoBlock = "no block"

// blockIndex finds the block index in a name: a container of repeated
// blocks followed by its index (layers.3, h.3, blocks.3, block.3, layer.3,
// features.3), or torchvision ResNet's stages (layer2.1).
var blockIndex = regexp.MustCompile(`(?:^|\.)(?:layers|layer|h|blocks|block|features)\.(\d+)(?:\.|$)|(?:^|\.)layer(\d+)\.(\d+)(?:\.|$)`)

// Block names the block of a tensor: "block 3" for model.layers.3.mlp…,
// "block 2.1" for ResNet's layer2.1.conv1.weight, "encoder block 0" and
// "decoder block 0" when the name says which stack (T5, BART, Whisper),
// and NoBlock for tensors outside the repeated blocks (embeddings, the
// final norm, the head).
func Block(name string) string {
	m := blockIndex.FindStringSubmatchIndex(name)
	if m == nil {
		return NoBlock
	}
	var idx string
	if m[2] >= 0 {
		idx = name[m[2]:m[3]]
	} else {
		idx = name[m[4]:m[5]] + "." + name[m[6]:m[7]]
	}
	stack := ""
	for _, p := range strings.Split(strings.ToLower(name[:m[0]]), ".") {
		if p == "encoder" || p == "decoder" {
			stack = p + " "
		}
	}
	return stack + "block " + idx
}

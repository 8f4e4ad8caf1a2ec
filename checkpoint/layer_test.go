package checkpoint

import (
	"errors"
	"testing"

	"github.com/syngeom/syngeom/internal/inputerr"
)

// Real tensor names of GPT-2, Llama (Hugging Face and Meta layouts),
// BERT, T5, BART, ViT and torchvision CNNs, with their kind and block.
var layerNames = []struct {
	name  string
	shape []int64
	kind  string
	block string
}{
	// GPT-2 (transformers; Conv1D weights are 2-d)
	{"transformer.wte.weight", []int64{50257, 768}, KindEmbedding, NoBlock},
	{"transformer.wpe.weight", []int64{1024, 768}, KindEmbedding, NoBlock},
	{"transformer.h.0.ln_1.weight", []int64{768}, KindNorm, "block 0"},
	{"transformer.h.0.attn.c_attn.weight", []int64{768, 2304}, KindAttnQKV, "block 0"},
	{"transformer.h.0.attn.c_attn.bias", []int64{2304}, KindBias, "block 0"},
	{"transformer.h.0.attn.c_proj.weight", []int64{768, 768}, KindAttnO, "block 0"},
	{"transformer.h.11.mlp.c_fc.weight", []int64{768, 3072}, KindMLP, "block 11"},
	{"transformer.h.11.mlp.c_proj.weight", []int64{3072, 768}, KindMLP, "block 11"},
	{"h.3.ln_2.bias", []int64{768}, KindBias, "block 3"},
	{"transformer.ln_f.weight", []int64{768}, KindNorm, NoBlock},
	{"lm_head.weight", []int64{50257, 768}, KindOther, NoBlock},
	// Llama (Hugging Face)
	{"model.embed_tokens.weight", []int64{32000, 4096}, KindEmbedding, NoBlock},
	{"model.layers.3.self_attn.q_proj.weight", []int64{4096, 4096}, KindAttnQ, "block 3"},
	{"model.layers.3.self_attn.k_proj.weight", []int64{1024, 4096}, KindAttnK, "block 3"},
	{"model.layers.3.self_attn.v_proj.weight", []int64{1024, 4096}, KindAttnV, "block 3"},
	{"model.layers.3.self_attn.o_proj.weight", []int64{4096, 4096}, KindAttnO, "block 3"},
	{"model.layers.3.self_attn.rotary_emb.inv_freq", []int64{64}, KindAttention, "block 3"},
	{"model.layers.3.mlp.gate_proj.weight", []int64{11008, 4096}, KindMLP, "block 3"},
	{"model.layers.3.mlp.up_proj.weight", []int64{11008, 4096}, KindMLP, "block 3"},
	{"model.layers.3.mlp.down_proj.weight", []int64{4096, 11008}, KindMLP, "block 3"},
	{"model.layers.3.input_layernorm.weight", []int64{4096}, KindNorm, "block 3"},
	{"model.layers.3.post_attention_layernorm.weight", []int64{4096}, KindNorm, "block 3"},
	{"model.norm.weight", []int64{4096}, KindNorm, NoBlock},
	// Llama (Meta's consolidated.pth)
	{"tok_embeddings.weight", []int64{32000, 4096}, KindEmbedding, NoBlock},
	{"layers.0.attention.wq.weight", []int64{4096, 4096}, KindAttnQ, "block 0"},
	{"layers.0.attention.wk.weight", []int64{4096, 4096}, KindAttnK, "block 0"},
	{"layers.0.attention.wv.weight", []int64{4096, 4096}, KindAttnV, "block 0"},
	{"layers.0.attention.wo.weight", []int64{4096, 4096}, KindAttnO, "block 0"},
	{"layers.0.feed_forward.w1.weight", []int64{11008, 4096}, KindMLP, "block 0"},
	{"layers.0.attention_norm.weight", []int64{4096}, KindNorm, "block 0"},
	{"output.weight", []int64{32000, 4096}, KindOther, NoBlock},
	// BERT
	{"bert.embeddings.word_embeddings.weight", []int64{30522, 768}, KindEmbedding, NoBlock},
	{"bert.embeddings.LayerNorm.weight", []int64{768}, KindNorm, NoBlock},
	{"bert.encoder.layer.5.attention.self.query.weight", []int64{768, 768}, KindAttnQ, "encoder block 5"},
	{"bert.encoder.layer.5.attention.self.key.weight", []int64{768, 768}, KindAttnK, "encoder block 5"},
	{"bert.encoder.layer.5.attention.self.value.weight", []int64{768, 768}, KindAttnV, "encoder block 5"},
	{"bert.encoder.layer.5.attention.output.dense.weight", []int64{768, 768}, KindAttnO, "encoder block 5"},
	{"bert.encoder.layer.5.attention.output.LayerNorm.weight", []int64{768}, KindNorm, "encoder block 5"},
	{"bert.encoder.layer.5.intermediate.dense.weight", []int64{3072, 768}, KindMLP, "encoder block 5"},
	{"bert.encoder.layer.5.output.dense.weight", []int64{768, 3072}, KindMLP, "encoder block 5"},
	{"bert.pooler.dense.weight", []int64{768, 768}, KindOther, NoBlock},
	// T5, BART, nn.MultiheadAttention
	{"encoder.block.0.layer.0.SelfAttention.q.weight", []int64{512, 512}, KindAttnQ, "encoder block 0"},
	{"encoder.block.0.layer.0.SelfAttention.o.weight", []int64{512, 512}, KindAttnO, "encoder block 0"},
	{"decoder.block.2.layer.2.DenseReluDense.wo.weight", []int64{512, 2048}, KindMLP, "decoder block 2"},
	{"model.decoder.layers.1.encoder_attn.out_proj.weight", []int64{768, 768}, KindAttnO, "decoder block 1"},
	{"model.decoder.layers.1.fc1.weight", []int64{3072, 768}, KindMLP, "decoder block 1"},
	{"transformer.layers.0.self_attn.in_proj_weight", []int64{1536, 512}, KindAttnQKV, "block 0"},
	{"transformer.layers.0.self_attn.in_proj_bias", []int64{1536}, KindBias, "block 0"},
	// ViT (timm)
	{"blocks.7.attn.qkv.weight", []int64{2304, 768}, KindAttnQKV, "block 7"},
	{"blocks.7.attn.proj.weight", []int64{768, 768}, KindAttnO, "block 7"},
	{"blocks.7.mlp.fc2.weight", []int64{768, 3072}, KindMLP, "block 7"},
	{"blocks.7.norm1.weight", []int64{768}, KindNorm, "block 7"},
	{"patch_embed.proj.weight", []int64{768, 3, 16, 16}, KindEmbedding, NoBlock},
	// torchvision ResNet and VGG
	{"conv1.weight", []int64{64, 3, 7, 7}, KindConv, NoBlock},
	{"bn1.weight", []int64{64}, KindNorm, NoBlock},
	{"layer2.1.conv2.weight", []int64{128, 128, 3, 3}, KindConv, "block 2.1"},
	{"layer2.1.bn2.running_var", []int64{128}, KindNorm, "block 2.1"},
	{"layer3.0.downsample.0.weight", []int64{256, 128, 1, 1}, KindConv, "block 3.0"},
	{"fc.weight", []int64{1000, 512}, KindOther, NoBlock},
	{"features.3.weight", []int64{64, 64, 3, 3}, KindConv, "block 3"},
	{"features.3.bias", []int64{64}, KindBias, "block 3"},
	{"classifier.0.weight", []int64{4096, 25088}, KindOther, NoBlock},
}

func TestLayerKindAndBlock(t *testing.T) {
	for _, c := range layerNames {
		if got := LayerKind(c.name, c.shape); got != c.kind {
			t.Errorf("LayerKind(%s, %v) = %q, want %q", c.name, c.shape, got, c.kind)
		}
		if got := Block(c.name); got != c.block {
			t.Errorf("Block(%s) = %q, want %q", c.name, got, c.block)
		}
		if got := GroupByTensor.Group(c.name, c.shape); got != c.name {
			t.Errorf("GroupByTensor.Group(%s) = %q", c.name, got)
		}
	}
}

func TestParseGroupBy(t *testing.T) {
	for in, want := range map[string]GroupBy{"": GroupByTensor, "tensor": GroupByTensor, "kind": GroupByKind, "block": GroupByBlock} {
		if got, err := ParseGroupBy(in); err != nil || got != want {
			t.Errorf("ParseGroupBy(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"layer", "Kind", "tensors"} {
		if _, err := ParseGroupBy(in); err == nil || !errors.Is(err, inputerr.ErrInput) {
			t.Errorf("ParseGroupBy(%q): error %v, want an input error", in, err)
		}
	}
}

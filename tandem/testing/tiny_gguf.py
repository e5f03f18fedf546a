"""Writes a tiny random Qwen2 GGUF (~0.3 MB) that llama.cpp loads in milliseconds.

Its words are noise, but it exercises the real loader, tokenizer, chat template, sampling and grammar
paths, so tests and benches that are about plumbing (not the model's words) run fast."""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np

__all__ = ["write_tiny_qwen2"]

CHATML = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
WIDTH, FFN, HEADS, KV_HEADS, BLOCKS, CONTEXT = 64, 128, 4, 2, 2, 512


def _byte_tokens() -> list[str]:
    """GPT-2's byte-to-unicode table: the 256 base tokens of a byte-level BPE vocabulary."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(
        range(ord("®"), ord("ÿ") + 1))
    codes, extra = list(printable), 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            codes.append(256 + extra)
            extra += 1
    table = dict(zip(printable, codes, strict=True))
    return [chr(table[b]) for b in range(256)]


def write_tiny_qwen2(path: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    merges = ["Ġ t", "e r", "Ġ a"]
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tokens = [*_byte_tokens(), "Ġt", "er", "Ġa", *specials]
    types = [gguf.TokenType.NORMAL] * (len(tokens) - len(specials)) + [gguf.TokenType.CONTROL] * len(specials)
    vocab = len(tokens)

    w = gguf.GGUFWriter(str(path), "qwen2")
    w.add_name("tiny-random-qwen2")
    w.add_context_length(CONTEXT)
    w.add_embedding_length(WIDTH)
    w.add_block_count(BLOCKS)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_rope_freq_base(10000.0)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_eos_token_id(tokens.index("<|im_end|>"))
    w.add_pad_token_id(tokens.index("<|endoftext|>"))
    w.add_add_bos_token(False)
    w.add_chat_template(CHATML)

    def tensor(name: str, *shape: int) -> None:
        w.add_tensor(name, (rng.standard_normal(shape) * 0.2).astype(np.float32))

    kv = WIDTH // HEADS * KV_HEADS
    tensor("token_embd.weight", vocab, WIDTH)
    for i in range(BLOCKS):
        tensor(f"blk.{i}.attn_norm.weight", WIDTH)
        for name, rows in (("attn_q", WIDTH), ("attn_k", kv), ("attn_v", kv)):
            tensor(f"blk.{i}.{name}.weight", rows, WIDTH)
            tensor(f"blk.{i}.{name}.bias", rows)
        tensor(f"blk.{i}.attn_output.weight", WIDTH, WIDTH)
        tensor(f"blk.{i}.ffn_norm.weight", WIDTH)
        tensor(f"blk.{i}.ffn_gate.weight", FFN, WIDTH)
        tensor(f"blk.{i}.ffn_up.weight", FFN, WIDTH)
        tensor(f"blk.{i}.ffn_down.weight", WIDTH, FFN)
    tensor("output_norm.weight", WIDTH)
    tensor("output.weight", vocab, WIDTH)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path

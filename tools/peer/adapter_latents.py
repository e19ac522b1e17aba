"""Generates with an adapter folder through diffusers' own loaders, for comparison with Inkwell.

The Custom Diffusion weights go through `unet.load_attn_procs` and the learned embedding through
diffusers' textual-inversion reader (`load_textual_inversion_state_dicts`,
`_retrieve_tokens_and_embeddings`); then DDIM with classifier-free guidance, as
StableDiffusionPipeline runs it. transformers is not packaged for Debian, so the CLIP text encoder
and the tokenizer (plain lower-case words and added tokens only) are written out below.

    PYTHONPATH=<diffusers>/src:<huggingface_hub>/src:tools/peer/stubs /usr/bin/python3 \\
        tools/peer/adapter_latents.py --model MODEL --adapter DIR --init-latents FILE \\
        --prompt "a <new1> dog is swimming" --out latents.safetensors [--expect FILE [--expect-key K]]

docs/personalization.md says how to set it up and what it showed.
"""
import argparse
import json
import os
import types

import torch
from diffusers import DDIMScheduler, UNet2DConditionModel
from diffusers.loaders.textual_inversion import TextualInversionLoaderMixin, load_textual_inversion_state_dicts
from safetensors.torch import load_file, save_file

BOS, EOS, LENGTH = 49406, 49407, 77


class Vocabulary:
    def __init__(self, folder):
        with open(os.path.join(folder, "vocab.json")) as f:
            self.ids = json.load(f)
        self.added = {}

    def get_vocab(self):
        return {**self.ids, **self.added}

    def add(self, token):
        self.added[token] = len(self.ids) + len(self.added)

    def encode(self, text):
        ids = [BOS]
        for word in text.lower().split():
            if word in self.added:
                ids.append(self.added[word])
            elif word + "</w>" in self.ids:
                ids.append(self.ids[word + "</w>"])
            else:
                raise SystemExit(f"this script tokenizes whole words only; '{word}' is not one token")
        ids.append(EOS)
        return ids + [EOS] * (LENGTH - len(ids))


def clip_text(folder, embedding_rows, ids):
    """CLIPTextModel's last hidden state (pre-LayerNorm layers, causal mask, final LayerNorm)."""
    with open(os.path.join(folder, "config.json")) as f:
        c = json.load(f)
    w = load_file(os.path.join(folder, "model.safetensors"))
    p = "text_model."
    heads, eps = c["num_attention_heads"], c["layer_norm_eps"]
    table = torch.cat([w[p + "embeddings.token_embedding.weight"]] + embedding_rows)
    x = table[torch.tensor(ids)][None] + w[p + "embeddings.position_embedding.weight"][: len(ids)][None]
    n, d = x.shape[1], x.shape[2]
    mask = torch.full((n, n), float("-inf")).triu(1)

    def ln(t, name):
        return torch.nn.functional.layer_norm(t, (d,), w[name + ".weight"], w[name + ".bias"], eps)

    def lin(t, name):
        return torch.nn.functional.linear(t, w[name + ".weight"], w[name + ".bias"])

    for i in range(c["num_hidden_layers"]):
        q = p + f"encoder.layers.{i}."
        h = ln(x, q + "layer_norm1")
        split = lambda t: t.view(1, n, heads, d // heads).transpose(1, 2)
        qs, ks, vs = (split(lin(h, q + "self_attn." + k)) for k in ("q_proj", "k_proj", "v_proj"))
        scores = qs @ ks.transpose(-1, -2) * (d // heads) ** -0.5 + mask
        a = (scores.softmax(-1) @ vs).transpose(1, 2).reshape(1, n, d)
        x = x + lin(a, q + "self_attn.out_proj")
        h = lin(ln(x, q + "layer_norm2"), q + "mlp.fc1")
        x = x + lin(h * torch.sigmoid(1.702 * h), q + "mlp.fc2")
    return ln(x, p + "final_layer_norm")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--adapter", required=True)
    ap.add_argument("--embedding", default="new1.safetensors", help="the learned-embedding file in --adapter")
    ap.add_argument("--init-latents", required=True)
    ap.add_argument("--prompt", default="a <new1> dog is swimming")
    ap.add_argument("--negative", default="")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--guidance", type=float, default=6.0)
    ap.add_argument("--out", required=True)
    ap.add_argument("--expect")
    ap.add_argument("--expect-key", default="latents")
    a = ap.parse_args()
    torch.set_grad_enabled(False)

    vocabulary = Vocabulary(os.path.join(a.model, "tokenizer"))
    state_dicts = load_textual_inversion_state_dicts([a.adapter], weight_name=a.embedding)
    tokens, rows = TextualInversionLoaderMixin._retrieve_tokens_and_embeddings([None], state_dicts, vocabulary)
    for token in tokens:
        vocabulary.add(token)
    rows = [r.reshape(-1, r.shape[-1]) for r in rows]
    encoder = os.path.join(a.model, "text_encoder")
    cond = clip_text(encoder, rows, vocabulary.encode(a.prompt))
    uncond = clip_text(encoder, rows, vocabulary.encode(a.negative))

    unet = UNet2DConditionModel.from_pretrained(os.path.join(a.model, "unet"))
    # A safetensors file cannot hold the empty entries the pickle has for the self-attention
    # processors, and load_attn_procs must set a processor on every attention module: add them.
    weights = load_file(os.path.join(a.adapter, "pytorch_custom_diffusion_weights.safetensors"))
    trained = {k.rsplit(".", 2)[0] for k in weights}
    weights.update({name: {} for name in unet.attn_processors if name not in trained})
    # Without _pipeline, diffusers 0.29+ reads the weights and installs nothing (huggingface/diffusers#9320).
    unet.load_attn_procs(weights, _pipeline=types.SimpleNamespace(hf_device_map=None, components={}))
    installed = sum(type(p).__name__.startswith("CustomDiffusion") for p in unet.attn_processors.values())
    scheduler = DDIMScheduler.from_pretrained(os.path.join(a.model, "scheduler"))
    scheduler.set_timesteps(a.steps)
    latents = load_file(a.init_latents)["latents"] * scheduler.init_noise_sigma
    context = torch.cat([uncond, cond])
    for t in scheduler.timesteps:
        noise = unet(scheduler.scale_model_input(torch.cat([latents] * 2), t), t, encoder_hidden_states=context).sample
        u, c = noise.chunk(2)
        latents = scheduler.step(u + a.guidance * (c - u), t, latents, eta=0.0).prev_sample
    save_file({"latents": latents.contiguous()}, a.out)
    print(f"tokens {tokens}, {installed} Custom Diffusion processors installed, wrote {a.out}")
    if a.expect:
        expected = load_file(a.expect)[a.expect_key].reshape(latents.shape)
        diff = (latents - expected).abs().max().item()
        print(f"max |difference| {diff:.3e}, relative to max |latent| {diff / expected.abs().max().item():.3e}")


if __name__ == "__main__":
    main()

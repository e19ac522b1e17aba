"""One classifier-free-guidance UNet step of the full-size SD 1.5 architecture in diffusers,
random weights, batch 2, 77 text tokens: the peer figure beside `inkwell bench unet`.

    PYTHONPATH=... python3 tools/peer/unet_step.py --size 256 --dtype bfloat16 --runs 5

docs/performance.md says how to run it offline (Debian's python3-torch, diffusers' source).
"""
import argparse
import resource
import statistics
import time

import torch
from diffusers import UNet2DConditionModel


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--dtype", choices=["float32", "bfloat16"], default="float32")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dtype = getattr(torch, a.dtype)
    unet = UNet2DConditionModel(
        sample_size=64, in_channels=4, out_channels=4, layers_per_block=2,
        block_out_channels=(320, 640, 1280, 1280), cross_attention_dim=768, attention_head_dim=8,
        down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
        up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3,
    ).to(dtype).eval()
    sample = torch.randn(2, 4, a.size // 8, a.size // 8, dtype=dtype)
    context = torch.randn(2, 77, 768, dtype=dtype)
    t = torch.tensor([500])
    seconds = []
    with torch.no_grad():
        for i in range(a.runs + 1):
            start = time.perf_counter()
            unet(sample, t, encoder_hidden_states=context)
            s = time.perf_counter() - start
            print(f"{'warm-up' if i == 0 else 'timed'} run {s:.2f} s", flush=True)
            if i > 0:
                seconds.append(s)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"torch {torch.__version__}, peak memory (RSS): {peak:.2f} GiB")
    print(f"diffusers unet-step {a.size}px batch2 {a.dtype}: median {statistics.median(seconds):.2f} s, "
          f"min {min(seconds):.2f} s")


if __name__ == "__main__":
    main()

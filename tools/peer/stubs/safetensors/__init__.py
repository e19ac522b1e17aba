# Stand-in for the safetensors wheel (a Rust extension, not packaged by Debian), enough for the
# peer scripts: whole-file reads and writes of CPU tensors through safetensors.torch.
__version__ = "0.4.5"


class SafetensorError(Exception):
    pass


def safe_open(*args, **kwargs):
    raise SafetensorError("safe_open is not part of this stand-in; use safetensors.torch.load_file")

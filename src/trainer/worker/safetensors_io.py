# Reads and writes safetensors files with numpy only (no safetensors package): 8-byte little-endian
# header length, JSON header, raw little-endian tensor data. F16/BF16 are widened to float32 on read.
import json
import os
import struct
import tempfile

import numpy as np

_NUMPY_DTYPES = {'F32': np.float32, 'F16': np.float16, 'I64': np.int64, 'I32': np.int32, 'U8': np.uint8}
_DTYPE_NAMES = {np.dtype(np.float32): 'F32', np.dtype(np.float16): 'F16', np.dtype(np.int64): 'I64',
                np.dtype(np.int32): 'I32', np.dtype(np.uint8): 'U8'}


class SafetensorsError(ValueError):
    """A safetensors file that cannot be read; the message names the file and the problem."""


def _bf16_to_float32(raw):
    halves = np.frombuffer(raw, dtype='<u2').astype(np.uint32)
    return (halves << 16).view(np.float32)


def read_safetensors_header(path):
    """Returns (header dict without __metadata__, metadata dict, data offset) of a safetensors file."""
    with open(path, 'rb') as handle:
        prefix = handle.read(8)
        if len(prefix) < 8:
            raise SafetensorsError(f'{path}: too short for the 8-byte header length')
        (header_length,) = struct.unpack('<Q', prefix)
        if header_length > 100 * 1024 * 1024:
            raise SafetensorsError(f'{path}: header length {header_length} is implausibly large')
        try:
            header = json.loads(handle.read(header_length).decode('utf-8'))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise SafetensorsError(f'{path}: header is not valid JSON ({error})') from None
    metadata = header.pop('__metadata__', {}) or {}
    return header, metadata, 8 + header_length


def read_safetensors(path):
    """Reads every tensor of a file as a numpy array (float tensors as float32). Returns (tensors, metadata)."""
    header, metadata, data_offset = read_safetensors_header(path)
    with open(path, 'rb') as handle:
        handle.seek(data_offset)
        data = handle.read()
    tensors = {}
    for name, entry in header.items():
        dtype, shape, (begin, end) = entry['dtype'], entry['shape'], entry['data_offsets']
        if end > len(data) or begin > end:
            raise SafetensorsError(f'{path}: tensor {name} lies outside the file (truncated?)')
        raw = data[begin:end]
        if dtype == 'BF16':
            array = _bf16_to_float32(raw)
        elif dtype in _NUMPY_DTYPES:
            array = np.frombuffer(raw, dtype=np.dtype(_NUMPY_DTYPES[dtype]).newbyteorder('<'))
            if dtype == 'F16':
                array = array.astype(np.float32)
        else:
            raise SafetensorsError(f'{path}: tensor {name} has unsupported dtype {dtype}')
        expected = int(np.prod(shape)) if shape else 1
        if array.size != expected:
            raise SafetensorsError(f'{path}: tensor {name} has {array.size} values, shape {shape} needs {expected}')
        tensors[name] = array.reshape(shape).copy()
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes numpy arrays (float32/float16/int) atomically: a temp file in the same folder, then rename."""
    header = {}
    if metadata:
        header['__metadata__'] = {str(key): str(value) for key, value in metadata.items()}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name])
        if array.dtype not in _DTYPE_NAMES:
            array = array.astype(np.float32)
        blob = array.astype(array.dtype.newbyteorder('<'), copy=False).tobytes()
        header[name] = {'dtype': _DTYPE_NAMES[array.dtype], 'shape': list(array.shape),
                        'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header_bytes = json.dumps(header, separators=(',', ':')).encode('utf-8')
    header_bytes += b' ' * ((8 - len(header_bytes) % 8) % 8)
    folder = os.path.dirname(os.path.abspath(path))
    descriptor, temp_path = tempfile.mkstemp(dir=folder, prefix='.tmp-', suffix='.safetensors')
    try:
        with os.fdopen(descriptor, 'wb') as handle:
            handle.write(struct.pack('<Q', len(header_bytes)))
            handle.write(header_bytes)
            for blob in blobs:
                handle.write(blob)
        os.replace(temp_path, path)
    except BaseException:
        if os.path.exists(temp_path):
            os.unlink(temp_path)
        raise

"""AES-256-CBC for WeCom media: key = base64 of the 43-char ``aeskey``, IV = key[:16], PKCS#7 to 32 bytes."""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bot.wecom.errors import WeComDecryptError

PAD_BLOCK = 32  # WeCom pads to 32-byte blocks, not AES's 16: a standard unpadder fails


def decode_aes_key(aeskey: str) -> bytes:
    """The 32-byte key from WeCom's ``aeskey`` (sent without its ``=`` padding)."""
    text = aeskey.strip()
    try:
        key = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WeComDecryptError("aeskey is not base64") from exc
    if len(key) != 32:
        raise WeComDecryptError(f"aeskey decodes to {len(key)} bytes, expected 32")
    return key


def encode_aes_key(key: bytes) -> str:
    """The 43-char ``aeskey`` form of a 32-byte key (base64 without ``=``)."""
    return base64.b64encode(key).decode("ascii").rstrip("=")


def decrypt_media(data: bytes, aeskey: str) -> bytes:
    """Decrypt a downloaded WeCom file and strip its 32-byte-block PKCS#7 padding."""
    key = decode_aes_key(aeskey)
    if not data or len(data) % 16:
        raise WeComDecryptError(f"ciphertext length {len(data)} is not a positive multiple of 16")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= PAD_BLOCK or pad > len(plain) or plain[-pad:] != bytes([pad]) * pad:
        raise WeComDecryptError("bad PKCS#7 padding: wrong aeskey or corrupted file")
    return plain[:-pad]


def encrypt_media(data: bytes, aeskey: str) -> bytes:
    """Encrypt like WeCom does (used by the fake server and round-trip tests)."""
    key = decode_aes_key(aeskey)
    pad = PAD_BLOCK - len(data) % PAD_BLOCK
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()

"""AES-256-CBC as WeCom uses it: 43-char aeskey, IV = key[:16], PKCS#7 padding to 32-byte blocks."""

from __future__ import annotations

import os

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bot.wecom import WeComDecryptError, decrypt_media, encrypt_media
from bot.wecom.crypto import decode_aes_key, encode_aes_key

KEY = bytes(range(32))  # fixed: a wrong key must fail the same way every run
AESKEY = encode_aes_key(KEY)


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 31, 32, 33, 1000])
def test_round_trip(size: int) -> None:
    data = os.urandom(size)
    assert decrypt_media(encrypt_media(data, AESKEY), AESKEY) == data


def test_the_key_is_43_chars_without_padding_and_decodes_to_32_bytes() -> None:
    assert len(AESKEY) == 43
    assert not AESKEY.endswith("=")
    assert decode_aes_key(AESKEY) == KEY


def test_padding_to_32_bytes_defeats_a_standard_16_byte_unpadder() -> None:
    data = b"12345"  # 27 bytes of padding: legal for 32-byte blocks, not for AES's 16
    cipher = encrypt_media(data, AESKEY)
    assert len(cipher) == 32
    plain = Cipher(algorithms.AES(KEY), modes.CBC(KEY[:16])).decryptor().update(cipher)
    unpadder = padding.PKCS7(128).unpadder()
    with pytest.raises(ValueError, match="padding"):
        unpadder.update(plain) + unpadder.finalize()
    assert decrypt_media(cipher, AESKEY) == data


def test_a_wrong_key_or_a_damaged_file_is_a_decrypt_error() -> None:
    cipher = encrypt_media(b"report text" * 10, AESKEY)
    with pytest.raises(WeComDecryptError):
        decrypt_media(cipher, encode_aes_key(bytes(range(1, 33))))
    with pytest.raises(WeComDecryptError, match="multiple of 16"):
        decrypt_media(cipher[:-3], AESKEY)
    with pytest.raises(WeComDecryptError, match="32"):
        decrypt_media(cipher, AESKEY[:20])

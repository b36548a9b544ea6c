"""Subsets Noto Sans CJK JP (SIL Open Font License 1.1) to what Japanese business text
needs: ASCII, JIS X 0208 (kana, the 6,355 level-1 and level-2 kanji, symbols), half-width
katakana and a few signs; the report downloads (PNG, PDF, PowerPoint) embed it so that they
never depend on the host's fonts.

Usage: python3 subset_font.py <NotoSansCJK-Regular.ttc> <output.otf>
(Debian: fonts-noto-cjk; pip: fonttools). Run by hand when the character set changes;
the output is committed as api/assets/fonts/NotoSansJP-Subset.otf.
"""

import subprocess
import sys
import tempfile


def characters():
    chars = set(chr(c) for c in range(0x20, 0x7F))
    # JIS X 0208: every two-byte EUC-JP code that decodes.
    for high in range(0xA1, 0xFF):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("euc_jp"))
            except UnicodeDecodeError:
                pass
    chars.update(chr(c) for c in range(0xFF61, 0xFFA0))  # half-width katakana
    chars.update("℃№℡①②③④⑤⑥⑦⑧⑨⑩～－〜・–—‐‘’“”…•±×÷°€")
    return "".join(sorted(chars))


def main():
    source, output = sys.argv[1], sys.argv[2]
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as text:
        text.write(characters())
        text.flush()
        subprocess.run(
            [
                sys.executable, "-m", "fontTools.subset", source,
                "--font-number=0",
                f"--text-file={text.name}",
                f"--output-file={output}",
                "--no-hinting",
                "--layout-features=kern,palt,liga,vert",
                "--name-IDs=*",
                "--name-languages=*",
            ],
            check=True,
        )


if __name__ == "__main__":
    main()

"""Text layer: normalisation with an offset map, sentence spans, tokens and stems."""

from retold.text.normalize import Normalized, normalize
from retold.text.segment import Sentence, segment
from retold.text.tokens import STOPWORDS, Tokens, stem_words, tokenize

__all__ = [
    "STOPWORDS",
    "Normalized",
    "Sentence",
    "Tokens",
    "normalize",
    "segment",
    "stem_words",
    "tokenize",
]

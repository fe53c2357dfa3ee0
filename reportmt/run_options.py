"""What a corpus run is asked to do: the one declaration of its options, their names,
defaults and valid values. `reportmt run` builds them from its command line, `run_once`
hands them to the flow, the flow takes them as its parameters (flat, as `prefect
deployment run --param` names them) and the sync deployment stores those it sets.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Decoding(BaseModel):
    """Decoding options over the machine's defaults (translators.argos.DecodingOptions); a
    field left None keeps the default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    beam_size: int | None = Field(default=None, ge=1, le=16)
    device: Literal["auto", "cpu", "cuda"] | None = None
    # default: int8 on CPU, int8_float16 on CUDA (DecodingOptions decides)
    compute_type: Literal["int8", "int8_float32", "int8_float16", "float16", "float32", "auto", "default"] | None = None
    inter_threads: int | None = Field(default=None, ge=1)
    intra_threads: int | None = Field(default=None, ge=0)
    max_batch_tokens: int | None = Field(default=None, ge=64)
    max_input_tokens: int | None = Field(default=None, ge=1)

    def overrides(self) -> dict[str, Any]:
        """The fields that were given, for DecodingOptions.for_machine."""
        return {key: value for key, value in self.model_dump().items() if value is not None}


class RunOptions(BaseModel):
    """``propagate``: a reviewed sentence's English is reused for the same source sentence
    elsewhere in the corpus. ``verify``: hash every source file, even those whose size, time
    and inode are unchanged. ``rebuild``: make the corpus again from the sources, the
    translation cache and the saved edits, as if there were no previous run (a damaged
    catalog is moved aside). ``shards``: translation tasks per language; more than one
    spreads the planned batches over the workers of a distributed task runner (the output
    does not change). ``changes_only``: read only the files `reportmt watch` noted as changed
    since the last run (and those it deferred), when nothing else can have changed the
    records; else every file is looked at."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    corpus_dir: str = "corpus"
    out_dir: str = "normalized"
    glossary: str | None = None
    models_dir: str | None = None
    decoding: Decoding = Decoding()
    shards: int = Field(default=1, ge=1)
    propagate: bool = True
    verify: bool = False
    rebuild: bool = False
    changes_only: bool = False

    def flow_parameters(self) -> dict[str, Any]:
        """The options as the flow's parameters: flat, ``decoding`` as the fields given (None
        without any)."""
        return {**self.model_dump(exclude={"decoding"}), "decoding": self.decoding.overrides() or None}

    def given(self) -> dict[str, Any]:
        """Only the options given when these were made, as flow parameters: what a
        deployment stores, so that a run takes the flow's defaults for the others."""
        return {key: value for key, value in self.flow_parameters().items() if key in self.model_fields_set}


DEFAULTS = RunOptions()

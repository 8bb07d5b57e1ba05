"""The scaling recipes of docs/scaling.md, tested as far as this machine allows (issue 22).

No cluster and no network here: the Kubernetes manifest is validated against a subset of the
``batch/v1`` Job schema written into this file by hand from the Kubernetes API reference (Job,
JobSpec, PodTemplateSpec, PodSpec, Container, SecurityContext: only the fields the manifest
uses, with their types and enumerations; unknown fields are refused, as ``kubectl --validate``
does). It is a subset, not the full OpenAPI document: it catches misspelt or misplaced fields,
wrong types and values outside an enumeration. Each pod's command is then expanded with its
``JOB_COMPLETION_INDEX`` and parsed by the course's own command line.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml
from support import ROOT

from defection_course.cli import parser
from defection_course.grading.shards import Shard, parse_shard

MANIFEST = ROOT / "docs" / "scale" / "grade-job.yaml"
GUIDE = ROOT / "docs" / "scaling.md"

_INT = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
_STR = {"type": "string"}
_BOOL = {"type": "boolean"}
_DNS_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
_QUANTITY = {"anyOf": [{"type": "string", "pattern": r"^[0-9.]+(m|Ki|Mi|Gi|Ti|k|M|G|T)?$"}, _INT]}


def _obj(properties: dict, required: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


SECCOMP = _obj(
    {"type": {"enum": ["RuntimeDefault", "Localhost", "Unconfined"]}, "localhostProfile": _STR}, ("type",)
)
CONTAINER = _obj(
    {
        "name": _STR,
        "image": _STR,
        "workingDir": _STR,
        "command": {"type": "array", "items": _STR},
        "args": {"type": "array", "items": _STR},
        "env": {"type": "array", "items": _obj({"name": _STR, "value": _STR}, ("name",))},
        "resources": _obj(
            {
                "requests": {"type": "object", "additionalProperties": _QUANTITY},
                "limits": {"type": "object", "additionalProperties": _QUANTITY},
            }
        ),
        "securityContext": _obj(
            {
                "allowPrivilegeEscalation": {"type": "boolean"},
                "readOnlyRootFilesystem": {"type": "boolean"},
                "runAsNonRoot": {"type": "boolean"},
                "runAsUser": _INT,
                "capabilities": _obj({"add": {"type": "array"}, "drop": {"type": "array", "items": _STR}}),
                "seccompProfile": SECCOMP,
            }
        ),
        "volumeMounts": {
            "type": "array",
            "items": _obj(
                {"name": _STR, "mountPath": _STR, "readOnly": {"type": "boolean"}}, ("name", "mountPath")
            ),
        },
    },
    ("name",),
)
POD_SPEC = _obj(
    {
        "restartPolicy": {"enum": ["Never", "OnFailure"]},  # a Job's pods may not use Always
        "securityContext": _obj(
            {
                "runAsNonRoot": {"type": "boolean"},
                "runAsUser": _INT,
                "runAsGroup": _INT,
                "fsGroup": _INT,
                "seccompProfile": SECCOMP,
            }
        ),
        "containers": {"type": "array", "minItems": 1, "items": CONTAINER},
        "volumes": {
            "type": "array",
            "items": _obj(
                {
                    "name": _STR,
                    "persistentVolumeClaim": _obj(
                        {"claimName": _STR, "readOnly": {"type": "boolean"}}, ("claimName",)
                    ),
                    "emptyDir": {"type": "object"},
                },
                ("name",),
            ),
        },
    },
    ("containers",),
)
JOB = _obj(
    {
        "apiVersion": {"const": "batch/v1"},
        "kind": {"const": "Job"},
        "metadata": _obj(
            {"name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"}}, ("name",)
        ),
        "spec": _obj(
            {
                "completionMode": {"enum": ["NonIndexed", "Indexed"]},
                "completions": _INT,
                "parallelism": _INT,
                "backoffLimit": _INT,
                "template": _obj({"metadata": {"type": "object"}, "spec": POD_SPEC}, ("spec",)),
            },
            ("template",),
        ),
    },
    ("apiVersion", "kind", "metadata", "spec"),
)


def _manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def test_the_manifest_is_a_valid_indexed_job() -> None:
    job = _manifest()
    jsonschema.validate(job, JOB)
    assert job["spec"]["completionMode"] == "Indexed"
    pod = job["spec"]["template"]["spec"]
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"


@pytest.mark.parametrize(
    "broken",
    [
        {"spec": {"completionMode": "indexed"}},
        {"spec": {"completions": "4"}},
        {"spec": {"template": {"spec": {"restartPolicy": "Always"}}}},
        {"spec": {"template": {"spec": {"securityContext": {"seccompProfile": {"type": "Default"}}}}}},
        {"spec": {"paralelism": 4}},
    ],
)
def test_the_schema_subset_refuses_broken_manifests(broken: dict) -> None:
    def merge(into: dict, change: dict) -> None:
        for k, v in change.items():
            if isinstance(v, dict) and isinstance(into.get(k), dict):
                merge(into[k], v)
            else:
                into[k] = v

    job = _manifest()
    merge(job, broken)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(job, JOB)


def test_every_pod_grades_its_own_shard_and_together_all() -> None:
    job = _manifest()
    n = job["spec"]["completions"]
    container = job["spec"]["template"]["spec"]["containers"][0]
    script = " ".join(container["args"])
    seen = []
    for index in range(n):
        words = shlex.split(script.replace("$JOB_COMPLETION_INDEX", str(index)))
        argv = words[words.index("defection_course") + 1 :]
        args = parser(["grade"]).parse_args(argv)
        shard = parse_shard(args.shard)
        assert shard.count == n and args.out.endswith(f"shard-{index}")
        seen.append(shard)
    assert seen == [Shard(i, n) for i in range(n)]


def test_the_guide_shows_the_tested_manifest_and_the_shard_flag_in_each_recipe() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    assert "docs/scale/grade-job.yaml" in guide
    for recipe in ("Kubernetes", "Slurm", "xargs", "parallel"):
        assert recipe in guide
    for spec in re.findall(r"--shard\s+\"?([^\s\"]+)", guide):
        assert "/" in spec, spec
    assert Path(MANIFEST).is_file()

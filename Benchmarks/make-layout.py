#!/usr/bin/env python3
"""Writes an OCI image layout for the benchmarks: LAYERS uncompressed tar layers, each one
file of MIB MiB of random bytes (incompressible, so no side wins by compression), tagged
`bench`.

usage: make-layout.py DIR LAYERS MIB
"""
import hashlib, io, json, os, sys, tarfile
root, layers, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
blobs = os.path.join(root, "blobs", "sha256")
os.makedirs(blobs)
def put(data_path):
    h = hashlib.sha256()
    with open(data_path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    os.replace(data_path, os.path.join(blobs, digest))
    return "sha256:" + digest, os.path.getsize(os.path.join(blobs, digest))
descriptors = []
for i in range(layers):
    tmp = os.path.join(root, "layer.tmp")
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(f"data/layer-{i}.bin")
        info.size = mib << 20
        with open("/dev/urandom", "rb") as random:
            tar.addfile(info, io.BufferedReader(random, 1 << 20))
    digest, size = put(tmp)
    descriptors.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": digest, "size": size})
def put_json(value, media_type):
    tmp = os.path.join(root, "json.tmp")
    with open(tmp, "wb") as f:
        f.write(json.dumps(value, separators=(",", ":")).encode())
    digest, size = put(tmp)
    return {"mediaType": media_type, "digest": digest, "size": size}
config = put_json({"architecture": "amd64", "os": "linux",
                   "rootfs": {"type": "layers", "diff_ids": [d["digest"] for d in descriptors]}},
                  "application/vnd.oci.image.config.v1+json")
manifest = put_json({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                     "config": config, "layers": descriptors}, "application/vnd.oci.image.manifest.v1+json")
manifest["annotations"] = {"org.opencontainers.image.ref.name": "bench"}
with open(os.path.join(root, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [manifest]}, f)
with open(os.path.join(root, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)

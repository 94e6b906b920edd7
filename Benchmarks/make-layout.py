#!/usr/bin/env python3
"""Writes an OCI image layout for the benchmarks: LAYERS tar layers, each one file of MIB
MiB of random bytes (incompressible, so no side wins by compression), tagged `bench`.

With COMPRESS=gzip in the environment the layers are stored gzip-compressed (level 1),
as real images ship them; registry clients then copy them as they are, where they would
compress uncompressed layers themselves on the way to a registry.

usage: make-layout.py DIR LAYERS MIB
"""
import gzip, hashlib, io, json, os, shutil, sys, tarfile
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
    diff_id = "sha256:" + hashlib.sha256(open(tmp, "rb").read()).hexdigest()
    media_type = "application/vnd.oci.image.layer.v1.tar"
    if os.environ.get("COMPRESS") == "gzip":
        with open(tmp, "rb") as source, gzip.open(tmp + ".gz", "wb", compresslevel=1) as target:
            shutil.copyfileobj(source, target, 1 << 20)
        os.replace(tmp + ".gz", tmp)
        media_type += "+gzip"
    digest, size = put(tmp)
    descriptors.append({"mediaType": media_type, "digest": digest, "size": size, "diffID": diff_id})
def put_json(value, media_type):
    tmp = os.path.join(root, "json.tmp")
    with open(tmp, "wb") as f:
        f.write(json.dumps(value, separators=(",", ":")).encode())
    digest, size = put(tmp)
    return {"mediaType": media_type, "digest": digest, "size": size}
config = put_json({"architecture": "amd64", "os": "linux",
                   "rootfs": {"type": "layers", "diff_ids": [d.pop("diffID") for d in descriptors]}},
                  "application/vnd.oci.image.config.v1+json")
manifest = put_json({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                     "config": config, "layers": descriptors}, "application/vnd.oci.image.manifest.v1+json")
manifest["annotations"] = {"org.opencontainers.image.ref.name": "bench"}
with open(os.path.join(root, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [manifest]}, f)
with open(os.path.join(root, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)

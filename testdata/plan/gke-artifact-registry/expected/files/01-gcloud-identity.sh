#!/usr/bin/env bash
# Grants the cluster's identity pull access to its registries, so they need no pull secret. Needs: gcloud auth
# login as a project IAM admin.
set -euo pipefail

# gar: roles/artifactregistry.reader for gke-nodes@acme-prod.iam.gserviceaccount.com
gcloud projects add-iam-policy-binding acme-prod --member serviceAccount:gke-nodes@acme-prod.iam.gserviceaccount.com --role roles/artifactregistry.reader

{{- define "pullwarden.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "pullwarden.serviceAccountName" -}}
{{- default (include "pullwarden.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "pullwarden.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end -}}

{{- define "pullwarden.labels" -}}
{{ include "pullwarden.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The ServiceAccount's annotations: serviceAccount.annotations plus the cloud identities' (theirs win). */}}
{{- define "pullwarden.serviceAccountAnnotations" -}}
{{- $out := deepCopy (.Values.serviceAccount.annotations | default dict) -}}
{{- with .Values.cloudIdentity.aws.roleArn }}{{- $_ := set $out "eks.amazonaws.com/role-arn" . -}}{{- end -}}
{{- with .Values.cloudIdentity.azure.clientId }}{{- $_ := set $out "azure.workload.identity/client-id" . -}}{{- end -}}
{{- with .Values.cloudIdentity.azure.tenantId }}{{- $_ := set $out "azure.workload.identity/tenant-id" . -}}{{- end -}}
{{- if $out }}{{- toYaml $out -}}{{- end -}}
{{- end -}}

{{- /* What the controller does inside a namespace it serves: cluster-wide (ClusterRole), or per namespace in
scoped mode (a Role in each of scope.namespaces). */}}
{{- define "pullwarden.namespacedRules" -}}
# The pull secrets it manages (watched by label; written in place with resourceVersion preconditions; a
# conflict is re-read with get). No delete.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch"]
# imagePullSecrets appended with guarded JSON patches.
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["get", "list", "watch", "patch"]
{{- if .Values.restartStuckPods.enabled }}
# restartStuckPods: Pods watched, stuck ones deleted (with a uid precondition) when their controller, read
# with get, recreates them with the secret; Events told to the Pods, in their namespaces.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch", "delete"]
- apiGroups: ["apps"]
  resources: ["replicasets", "statefulsets", "daemonsets"]
  verbs: ["get"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}
{{- end }}

{{/* ExternalSecret (External Secrets Operator) for `data` entries into the Secret `target`. */}}
{{- define "radiant.externalSecret" -}}
{{- $es := .root.Values.secrets.externalSecret -}}
---
apiVersion: {{ $es.apiVersion }}
kind: ExternalSecret
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "radiant.labels" .root | nindent 4 }}
  {{- with .annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  refreshInterval: {{ $es.refreshInterval }}
  secretStoreRef:
    kind: {{ $es.secretStoreRef.kind }}
    name: {{ $es.secretStoreRef.name }}
  target:
    name: {{ .target }}
    creationPolicy: Owner
  data:
    {{- range $key := keys .data | sortAlpha }}
    {{- $ref := index $.data $key }}
    - secretKey: {{ $key }}
      remoteRef:
        key: {{ $ref.key | quote }}
        {{- with $ref.property }}
        property: {{ . | quote }}
        {{- end }}
        {{- with $ref.version }}
        version: {{ . | quote }}
        {{- end }}
    {{- end }}
{{- end -}}

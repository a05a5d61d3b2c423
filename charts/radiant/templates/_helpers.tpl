{{- define "radiant.labels" -}}
app.kubernetes.io/part-of: radiant
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

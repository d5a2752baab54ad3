# Sourced: a minimal scripted LSP client for the start-up cache's training run and the start-up
# benchmark. One session: initialize, initialized, didOpen of one file, wait for that file's
# diagnostics, shutdown, exit.
#
# avps_lsp_session FILE CMD...  starts CMD (the server on stdin/stdout) with FILE's directory as
# the workspace. Prints "<ms from start> <ms from didOpen>" to the first diagnostics of FILE.
# Returns non-zero when the server does not answer within 120 s.
avps_lsp_session() (
  export LC_ALL=C # lengths in bytes, as Content-Length counts them
  local file="$1"; shift
  local dir uri text t0 t_open t_diag msg
  dir="$(cd "$(dirname "$file")" && pwd)"
  uri="file://$dir/$(basename "$file")"
  text="$(cat "$file")"
  text="${text//\\/\\\\}"; text="${text//\"/\\\"}"
  text="${text//$'\n'/\\n}"; text="${text//$'\r'/\\r}"; text="${text//$'\t'/\\t}"
  send() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1" >&"${srv[1]}"; }
  receive() { # sets msg to the next message's body
    local line len=0
    while IFS= read -r -t 120 line <&"${srv[0]}"; do
      line="${line%$'\r'}"
      [[ -z "$line" ]] && break
      [[ "$line" == Content-Length:* ]] && len="${line#*: }"
    done
    ((len > 0)) && IFS= read -r -t 120 -N "$len" msg <&"${srv[0]}"
  }
  await() { # $1 = a fixed string the wanted message contains
    while receive; do [[ "$msg" == *"$1"* ]] && return 0; done
    return 1
  }
  t0=$(date +%s%N)
  coproc srv { "$@" 2>/dev/null; }
  send "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":$$,\"rootUri\":\"file://$dir\",\"capabilities\":{}}}"
  await '"id":1' || return 1
  send '{"jsonrpc":"2.0","method":"initialized","params":{}}'
  send "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"$uri\",\"languageId\":\"avps\",\"version\":1,\"text\":\"$text\"}}}"
  t_open=$(date +%s%N)
  await "\"uri\":\"$uri\"" || return 1
  t_diag=$(date +%s%N)
  send '{"jsonrpc":"2.0","id":2,"method":"shutdown","params":null}'
  await '"id":2' || true
  send '{"jsonrpc":"2.0","method":"exit","params":null}'
  wait "$srv_PID" 2>/dev/null || true
  echo "$(((t_diag - t0) / 1000000)) $(((t_diag - t_open) / 1000000))"
)

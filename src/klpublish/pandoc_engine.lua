-- One pandoc process for many conversions (run as `pandoc lua pandoc_engine.lua`).
-- A process start costs more than converting a letter, so klpublish keeps one
-- open and sends it every read and write. Both directions use frames:
--   in:  "<header bytes> <body bytes>\n" <header: JSON> <body: the document>
--   out: "ok <bytes>\n" <result>   or   "error <bytes>\n" <message>
-- The header says what to do: {"op": "read", "format": ..., "options": ...} with
-- the document as the body (Markdown, or a Word or OpenDocument file's bytes), or {"op": "write", "format": ..., "options": ..., "template": path,
-- "filters": [paths], "env": {...}, "cwd": dir} with pandoc's JSON AST as the body.

local templates = {}

local function template(path)
  if not templates[path] then
    local handle = assert(io.open(path, "rb"))
    local text = handle:read("a")
    handle:close()
    templates[path] = pandoc.template.compile(text, path)
  end
  return templates[path]
end

local defaults = {}

-- pandoc's own template for a format, compiled once (3 ms each time otherwise).
local function template_for(format)
  if not defaults[format] then
    defaults[format] = pandoc.template.compile(pandoc.template.default(format))
  end
  return defaults[format]
end

local function write(request, body)
  local doc = pandoc.read(body, "json")
  for _, filter in ipairs(request.filters or {}) do
    doc = pandoc.utils.run_lua_filter(doc, filter)
  end
  local options = request.options or {}
  if request.template then
    options.template = template(request.template)
  elseif request.standalone then
    options.template = template_for(request.format)
  end
  local function run()
    return pandoc.write(doc, request.format, options)
  end
  local convert = run
  if request.cwd then
    convert = function() return pandoc.system.with_working_directory(request.cwd, run) end
  end
  if request.env then
    local env = pandoc.system.environment()
    for key, value in pairs(request.env) do env[key] = value end
    return pandoc.system.with_environment(env, convert)
  end
  return convert()
end

local function handle(request, body)
  if request.op == "read" then
    return pandoc.write(pandoc.read(body, request.format, request.options), "json")
  elseif request.op == "write" then
    return write(request, body)
  end
  error("unknown request: " .. tostring(request.op))
end

while true do
  local line = io.stdin:read("l")
  if not line then break end
  local header_size, body_size = line:match("^(%d+) (%d+)$")
  if not header_size then
    io.stderr:write("pandoc engine: bad frame header\n")
    os.exit(2)
  end
  local header = io.stdin:read(tonumber(header_size)) or ""
  local body = tonumber(body_size) > 0 and io.stdin:read(tonumber(body_size)) or ""
  local ok, result = pcall(function() return handle(pandoc.json.decode(header, false), body) end)
  local status = ok and "ok" or "error"
  if not ok then result = tostring(result) end
  io.stdout:write(status, " ", #result, "\n", result)
  io.stdout:flush()
end

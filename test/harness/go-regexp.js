// CRD patterns are Go regular expressions: translate the inline case-insensitive flag. Plain JS in its
// own file because the cached, generated validators (schema-validator.ts) require it by path.
function goRegExp(pattern, flags) {
  const insensitive = pattern.includes('(?i)');
  return new RegExp(pattern.replace(/\(\?i\)/g, ''), insensitive ? `${flags}i` : flags);
}
goRegExp.code = `require(${JSON.stringify(__filename)}).goRegExp`;
module.exports = { goRegExp };

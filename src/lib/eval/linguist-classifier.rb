# GitHub Linguist's Bayesian classifier alone (Debian's ruby-github-linguist): reads JSON lines {"key", "text"}
# on standard input, writes {"key", "language", "language_id"} per line, the classifier's top language among
# every language of its samples, as Linguist::Classifier.classify ranks them (content only, no file name).
require 'json'
require 'linguist'

cache = Linguist::Samples.cache
names = cache['languages'].keys
$stdout.sync = true
$stdin.each_line do |line|
  request = JSON.parse(line)
  ranked = Linguist::Classifier.classify(cache, request['text'], names)
  top = ranked.first && Linguist::Language[ranked.first[0]]
  puts JSON.generate({ 'key' => request['key'], 'language' => top&.name, 'language_id' => top&.language_id })
end

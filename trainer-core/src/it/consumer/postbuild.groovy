// Checks what the user's main wrote: five steps in the step log, each with a finite loss, and the
// last checkpoint it reported.
import groovy.json.JsonSlurper

def run = new File(basedir, 'target/run')
def log = new File(run, 'steps.jsonl')
assert log.isFile() : "the run wrote no ${log}"
def steps = log.readLines().findAll { it.trim() }.collect { new JsonSlurper().parseText(it) }
assert steps.size() == 5 : "expected 5 steps in ${log}, found ${steps.size()}"
assert steps*.step == [1, 2, 3, 4, 5]
steps.each { assert it.loss instanceof Number && Double.isFinite(it.loss as double) : "loss of ${it}" }

def out = new File(basedir, 'build.log').text
def reported = (out =~ /trained 5 steps, checkpoint (\S+)/)
assert reported.find() : 'the main did not report 5 trained steps'
assert new File(reported.group(1)).exists() : "the checkpoint ${reported.group(1)} is missing"
return true

// Checks what the user's main (the README's example) wrote in its run directory: the step log, the
// summary with its verdict and findings, the report, and the last checkpoint.
import groovy.json.JsonSlurper

def run = new File(basedir, 'target/run')
def log = new File(run, 'steps.jsonl')
assert log.isFile() : "the run wrote no ${log}"
def steps = log.readLines().findAll { it.trim() }.collect { new JsonSlurper().parseText(it) }
assert steps.size() == 96 : "expected 96 steps (3 epochs of 32 batches) in ${log}, found ${steps.size()}"
assert steps*.step == (1..96).toList()
steps.each { assert it.loss instanceof Number && Double.isFinite(it.loss as double) : "loss of ${it}" }

def report = new File(run, 'report.html')
assert report.isFile() && report.length() > 10_000 : "the report ${report} is missing or nearly empty"
assert new File(run, 'checkpoints/step-00000096.ckpt').isFile() : 'the last checkpoint is missing'

def summary = new JsonSlurper().parse(new File(run, 'summary.json'))
assert summary.run.name == 'regression'
assert summary.run.stop_reason == 'BUDGET'
assert summary.run.planned_steps == 96
assert summary.findings instanceof List
assert summary.verdict.samples_joined == true
assert summary.environment.source == 'host'
// The user's main makes its NDManager before it touches trainsight: trainer-core's engine hook still
// settled MKL's code path before libtorch loaded (on an AMD CPU, the fast one; elsewhere MKL's own).
assert summary.environment.mkl instanceof String : 'summary.json says nothing of MKL'
assert !summary.environment.mkl.contains('had started before') : "MKL: ${summary.environment.mkl}"
assert !summary.environment.mkl.contains('could not load') : "MKL: ${summary.environment.mkl}"
return true

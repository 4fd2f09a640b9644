/* Job page: polls the job's JSON until it is done or failed (a static file: the CSP
 * allows no inline scripts). */
(function () {
  "use strict";
  var box = document.getElementById("job");
  function poll() {
    CivAtlas.getJSON(box.dataset.url).then(function (job) {
      document.getElementById("job-status").textContent = job.status_label;
      document.getElementById("job-attempts").textContent = job.attempts;
      document.getElementById("job-progress").value = job.progress;
      document.getElementById("job-message").textContent = job.message;
      document.getElementById("job-result").textContent = job.result === null ? "" : JSON.stringify(job.result, null, 2);
      document.getElementById("job-error").textContent = job.error;
      if (job.status !== "done" && job.status !== "failed") { setTimeout(poll, 1000); }
    });
  }
  if (box.dataset.finished !== "1") { setTimeout(poll, 1000); }
})();

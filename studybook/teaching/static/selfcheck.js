// Self-checks (studybook/teaching/selfcheck.py): the page has the questions and, folded, the answer
// key; this turns each question into a select and checks the answers, linking to where each is explained.
"use strict";
document.querySelectorAll(".self-check-exercise").forEach((exercise, e) => {
  const options = [...exercise.querySelectorAll(".self-check-options > li")].map((li) => li.textContent.trim());
  const prompts = [...exercise.querySelectorAll(".self-check-prompts > li")];
  const keys = document.querySelectorAll(".self-check-answers .self-check-answer")[e];
  const keyItems = keys ? [...keys.querySelectorAll(".self-check-key > li")] : [];
  const choices = options.length ? options.map((text, i) => `${String.fromCharCode(65 + i)}. ${text}`)
    : prompts.map((_, i) => ["1st", "2nd", "3rd", "4th", "5th", "6th"][i]);
  const selects = prompts.map((prompt, p) => {
    const id = `self-check-${e + 1}-${p + 1}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = options.length ? "Your answer: " : "Place: ";
    const select = document.createElement("select");
    select.id = id;
    select.add(new Option("choose…", ""));
    choices.forEach((choice, c) => select.add(new Option(choice, String(c + 1))));
    const row = document.createElement("p");
    row.className = "self-check-choice";
    row.append(label, select);
    const feedback = document.createElement("p");
    feedback.className = "self-check-feedback";
    feedback.hidden = true;
    prompt.append(row, feedback);
    return select;
  });
  const button = document.createElement("button");
  button.type = "button";
  button.className = "self-check-button";
  button.textContent = "Check my answers";
  const status = document.createElement("p");
  status.setAttribute("role", "status");
  button.addEventListener("click", () => {
    let right = 0;
    prompts.forEach((prompt, p) => {
      const answer = [...prompt.classList].find((c) => c.startsWith("answer-")).slice(7);
      const correct = selects[p].value === answer;
      right += correct;
      const feedback = prompt.querySelector(".self-check-feedback");
      feedback.replaceChildren(correct ? "Right: " : "Not quite. The answer: ");
      if (keyItems[p]) feedback.append(...[...keyItems[p].querySelector("p").childNodes].map((n) => n.cloneNode(true)));
      feedback.hidden = false;
    });
    status.textContent = `${right} of ${prompts.length} right.`;
  });
  exercise.append(button, status);
});

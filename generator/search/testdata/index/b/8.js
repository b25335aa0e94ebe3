cqpSearch.load("b",8,[{"c":"RNCP37893BC01","t":"Entretenir","a":"bloc-rncp37893bc01"}]);

cqpSearch.load("b",5,[{"c":"RNCP37891BC01","t":"Conduire l'installation","a":"bloc-rncp37891bc01"}]);

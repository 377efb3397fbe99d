package triage

import (
	"strings"
)

// negations are the words that cancel a term right after them (negScope).
// "non" and "plus" are not among them: "non, je suis en danger" answers a
// question, and "plus" is in "je veux plus vivre".
var negations = map[string]bool{
	"pas": true, "jamais": true, "aucun": true, "aucune": true, "rien": true, "sans": true,
	"ما": true, "لا": true, "ليس": true, "لست": true, "لم": true, "لن": true, "ماشي": true, "مشي": true,
	"مكاين": true, "ماكاين": true, "بلا": true, "بدون": true,
	"machi": true, "mashi": true, "mach": true, "makayn": true, "makain": true, "walo": true, "bla": true,
}

// builtinLexicon is the lexicon every flow starts from. One line per group:
// "class writing markers: term; term; …". Classes danger and suicide are
// alarms; "harmless" lines are harmless senses that cancel the alarms they
// overlap; "minimiser" lines cancel the weak alarms of the whole message.
// Markers: "!" strong (a minimiser does not cancel it), "=" exact (words as
// written, no endings taken off), "~" immune (the term holds its own
// negation). Terms are written in plain form; the morphology adds the rest.
const builtinLexicon = `
danger fr !: tuer; assassiner; assassinat; buter; flinguer; abattre; ete abattu; ont abattu; meurtre
danger fr !: arme; armes a feu; kalach; kalachnikov; kalash; kalashnikov; ak47; flingue; pistolet; revolver; fusil; couteau; machette; lame; sabre; gun
danger fr !: tir; tirer; tirer dessus; cartouche; douille; coup de feu; balle; rafale; detonation; fusillade; fusille; mitraille
danger fr !: poignarder; egorger; blesser; blessure; saigner; vider de son sang; perd du sang
danger fr !: incendie; incendier; mis le feu; mettre le feu; feu chez; bruler; cramer
danger fr !: kidnapper; sequestrer; ete enleve; ont enleve; enlevement; otage
danger fr !: agresser; agression; tabasser; lyncher; reglement de compte; danger de mort; menace de mort; un mort; des morts; en train de mourir
danger fr: menacer; menace; racket; racketter; harceler; danger; en danger; urgence; urgent; peur; terrorise; terrifie; panique; crains pour; pour ma vie; peur pour
danger fr: au secours; secours; =a l aide; =aidez; =aide moi; =aidez moi; =aider moi; =aide nous; =aidez nous; =aider nous; m aider vite; venez vite; appelez la police; sauvez moi
danger fr: me suit; me suivent; nous suit; nous suivent; suis suivi; sommes suivis; me suive; me surveiller; nous surveiller; surveiller maison; guetter; me chercher
danger fr: devant ma porte; devant chez moi; devant la porte; en bas de chez moi; ils sont en bas; tapent a la porte; entrer chez moi; casse la porte; defoncer la porte
danger fr: chantage; intimider; intimidation; ambulance; appelez le samu; appelez les pompiers; vais mourir; va mourir; on va mourir; disparu; faire du mal; venger; cagoule; la prochaine fois c est; sang; me cacher; le chercher; nous chercher; attendent en bas; ~pas rentre; ~rentre plus; fracasser; ~n est pas rentre; s en prendre; frapper; ete battu; fugue; vengeance; represailles; sos; =help; overdose; respire plus; inconscient; savent ou j habite
danger fr !: au feu; battu a mort; grenade; viol; violer; faire la peau; fait planter; l ont descendu; pris en otage
suicide fr !: me suicider; idees suicidaires; pense au suicide; suicidaire; veux mourir; vais mourir ce soir; envie de mourir; voudrais mourir; aimerais mourir; prefere mourir; laisse moi mourir
suicide fr !: veux me tuer; vais me tuer; envie de me tuer; pense a me tuer; je me tue; veux en finir; vais en finir; envie d en finir; en finir avec la vie; en finir avec tout
suicide fr !: plus vivre; force de vivre; marre de vivre; marre de la vie; envie de vivre; fin a mes jours; fin a ma vie; foutre en l air; veux crever; envie de crever; veux disparaitre
suicide fr !: veux en terminer; en terminer avec la vie; fatigue de vivre; ~vaut plus rien; vais me faire du mal; veux me faire du mal; envie de me faire du mal; couper les veines; me scarifier; me mutiler; envie de disparaitre; mieux mort; mieux morte; plus etre la; ~plus de raison de vivre; ~aucune raison de vivre; ~pas de raison de vivre; ~jamais me reveiller; ~pas me reveiller; sauter par la fenetre; sauter du pont; avaler les medicaments; ouvert les veines; me pendre; quoi bon vivre; plus de sens; le rejoindre; la rejoindre; etre mort; etre morte; dormir pour toujours; partir pour toujours; pour mourir; partir rejoindre; me jeter; plus me reveiller; me pendre
danger ar !: اعتداء; قتيل; جثه; رشاش; بندقيه; قنبله; حريق; اغتصاب; قتل; يقتل; مقتول; قتلى; رصاص; رصاصه; سلاح; اسلحه; مسلح; مسدس; كلاش; كلاشنكوف; سكين; موس; جريح; مجروح; جرح; اطلاق نار; اطلق النار; طلق عليه; طلقوا النار; خطف; اختطف; مخطوف; حرق; احرق; شعلو العافيه; اعتدى; هجم; هاجم; نزف; يسيل الدم; دم; طعن; ذبح; اغتصب
danger ar: خطر; خطير; تهديد; هدد; مهدد; خايف; خوف; خائف; مستعجل; عاجل; طوارئ; مصاب; اصيب; ضرب; يراقب; اختفى; مفقود; ما رجعش; قدام الباب; قدام الدار; عصابه
danger ar: النجده; نجده; =ساعدني; =ساعدوني; =ساعدونا; =ساعدنا; =عاونوني; =عاونونا; =عاوني; =عاونيني; =عتقوني; =عتقني; =عتقونا; =انقذوني; =انقذني; =انقذونا; =تابعيني; =تابعينا; =تابعينو; =الحقوني; =اغيثوني; =غيثوني; يتبعني; تبعوني; يتبعوني; تبعني; يتبعونا
suicide fr: idees noires; pense a la mort
suicide ar: افكار سوداء; افكار سوداويه
suicide ar !: نرتاح من الدنيا; انتحار; =ننتحر; =نتحر; =سانتحر; بغيت نموت; باغي نموت; نحب نموت; نتمنى نموت; نموت; اريد ان اموت; اريد الموت; اموت; تمنيت الموت; نقتل روحي; نقتل راسي; قتل روحي; الله ياخذني; ~=بقيتش نعيش; ~=بغيتش نعيش; ~=بقاتش رغبه في الحياه; ~=ما بغيت نعيش; نقتل نفسي; اقتل نفسي; قتل نفسي; نرمي روحي; نرمي راسي; ~علاش نعيش; تعبت من الحياه; الموت احسن; ~ما بقيتش قادر نعيش
danger latin !: jenoui; jnoui; =sekkin; =sikin; 9ertas; ghtasb; tle9 3lih; 9arta; slah; sla7; rsas; mous; mousat; kalach; qtel; qtl; qetlou; mjrouh; jerhouh; jra7; tirou; tiro; tiraw; khtef; khtaf; 7ar9; 7ra9; hjem; hajmo; dem; t3en; dbe7
danger latin: khatar; najda; nejda; 3te9ni; 3te9; 3awen; 3awnouni; sa3d; sa3dni; khayf; khayef; khayfa; khawf; tab3; tab3ini; 3aynin; 3ayno; hedouni; yhedouni; mhedda; mhedded; hedouh; tahdid; ghber; darb; darbouni; qdam lbab; qdam dar; mkhal3a; khal3a
suicide latin !: nertah mn dounia; ~3lach n3ich; nmout; nmot; nentahar; intihar; yakhodni; ~b9itch n3ich; ~mabghitch n3ich; ~ma bghitch n3ich; nqtel rasi; nqtel rou7i; nqtel nefsi; nermi rasi; lmout
harmless fr: menace de; menace d; menace expulsion; tirer la tete; tire la tete; tirer la gueule; don du sang; analyse de sang; bon sang; sang froid; peur de ne pas; peur de pas; la balle est dans; couteau pour couper; menace de greve; aux urgences; des urgences; les urgences; tir a l arc; balle de tennis; balle de foot; balle au foot; balle de ping; feu rouge; feu vert; feu d artifice; feu de camp; coup de fil; coup de main; coup de soleil; coup de tonnerre; coup de pouce; coup d oeil
harmless fr: mort de rire; morte de rire; mourir de rire; meurs de faim; meurs de soif; meurs de chaud; meurs de froid; meurs de fatigue; mort de fatigue; tue le temps; ca me tue; tirer au sort; tirer un trait; tirer les cartes
harmless fr: couteau a pain; couteau de cuisine; l armee; prise de sang; aide juridictionnelle; blesse par ce; s est blesse; question urgente; urgence dentaire; suivi psychologique; suivi de mon dossier; suivi par un psychologue; suivi par un educateur; suivi a l hopital; suivi par un medecin
harmless ar: خطر ببالي; خطر على بالي; خطرت على بالي; قلم رصاص; اقلام رصاص; قسم الطوارئ; =المستعجلات; =مستعجلات; موس الكوزينه; سكين المطبخ
harmless latin: 9alam rsas; khtar 3la bali; khatar 3la bali; =lmosta3jalat; =mosta3jalat; mous dyal lkouzina
minimiser fr: rien de grave; pas grave; pas urgent; pas une urgence; pas d urgence; rien d urgent; juste une question; une question; simple question; je me renseigne; pour info; est ce que
minimiser fr !: mdr; ptdr; lol; xptdr
minimiser ar: سؤال; غير سؤال; هل; واش; الحمد لله
minimiser latin: so2al; sou2al; soual; wach; hamdoulah
`

// builtin parses builtinLexicon.
func builtin() []term {
	var out []term
	for _, line := range strings.Split(builtinLexicon, "\n") {
		head, list, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(head)
		class, writing := f[0], f[1]
		r, strong := alarm, false
		switch class {
		case "harmless":
			r = harmless
		case "minimiser":
			r = minimiser
		}
		if len(f) > 2 && f[2] == "!" {
			strong = true
		}
		for _, t := range strings.Split(list, ";") {
			if strings.TrimSpace(t) == "" {
				continue
			}
			e := parseTerm(class, writing, t)
			e.role = r
			e.strong = e.strong || strong
			out = append(out, e)
		}
	}
	return out
}
